'use strict';

// The book in a real browser: Debian's Chromium, driven by playwright-core, opens every page
// of both editions (English at the root of book/book/, Chinese under book/book/zh-CN/) from a
// static server started here on a free loopback port, and checks what a reader would see:
//
//   - every page loads (HTTP 200) with no console error, no uncaught page error, no failed
//     request for a file of the site and no request for anything outside it;
//   - every <img> (the SVG plots) has loaded (naturalWidth > 0) and is drawn at a non-zero
//     size, the zoomed-in copy mdBook shows on a click included;
//   - every diagram (inline SVG, book/src/diagrams) is on the page DIAGRAMS says, drawn at a
//     non-zero size and visible, each of its labels drawn and none overflowing its box; its
//     labels are in the page's language (a known label of each edition, Chinese characters
//     in the Chinese edition's drawing and none in the English one's); and in each of
//     mdBook's five themes, light and dark, its words and lines stand out from what is
//     behind them (contrast at least 4.5:1 for words, 3:1 for lines);
//   - every internal link resolves to a file of the site, and its #fragment to an element
//     with that id (or an <a name>) on the page it points at;
//   - the language switch (a#language-switch) of every page points at the same page in the
//     other edition, and clicking it on a few pages, both ways, lands there;
//   - the search box finds "fork" in English and 写时复制 in Chinese, with a result that
//     links to a known page, and the result leads to that page;
//   - every quiz (book/assets/quiz.js) on every page renders: a "Check" button and a choice
//     input per question, a score per quiz; on a page with a quiz, in each edition, one
//     question answered right and one wrong show their feedback and open their explanation in
//     the page's language, and after a reload the progress is still there (localStorage);
//   - screenshots of a few pages per edition, for a person to look at.
//
// The page list is the sidebar (the table of contents) as the browser shows it, checked
// against the HTML files on disk: every chapter in both, and every other file visited too.
//
//   node tests/browser/book.test.js [BOOK_DIR]       (BOOK_DIR: book/book by default)
//
// Environment: CHROMIUM (default /usr/bin/chromium), SCREENSHOT_DIR (default
// target/browser-screenshots), BROWSER_TEST_TIMEOUT_S (the whole run's deadline, default 600),
// REQUIRE_ZH_CN=1/0 (require the Chinese edition; by default it is required when book/build,
// the script that builds it, exists).
//
// Exits 0 when every check passes; otherwise prints each problem as `PAGE: PROBLEM` and exits 1.
// The server and the browser are closed on every path, the deadline included.

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { chromium } = require('playwright-core');

const REPO = path.resolve(__dirname, '..', '..');
const BOOK_DIR = path.resolve(process.argv[2] || path.join(REPO, 'book', 'book'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENSHOT_DIR = path.resolve(
    process.env.SCREENSHOT_DIR || path.join(REPO, 'target', 'browser-screenshots'));
const DEADLINE_S = Number(process.env.BROWSER_TEST_TIMEOUT_S || 600);
const REQUIRE_ZH_CN = process.env.REQUIRE_ZH_CN !== undefined
    ? process.env.REQUIRE_ZH_CN === '1'
    : fs.existsSync(path.join(REPO, 'book', 'build'));

// Per-action deadlines (milliseconds).
const NAVIGATION_TIMEOUT = 30_000;
const ACTION_TIMEOUT = 10_000;
const SEARCH_TIMEOUT = 15_000;

// The two editions: where each lives under the site root, its <html lang>, the word its
// search must find and a page that word must lead to, and the pages to photograph.
const EDITIONS = [
    {
        name: 'en', prefix: '', lang: 'en',
        search: { word: 'fork', page: 'processes/fork-server.html' },
    },
    {
        name: 'zh-CN', prefix: 'zh-CN/', lang: 'zh-CN',
        search: { word: '写时复制', page: 'processes/cow.html' },
    },
];
const SCREENSHOT_PAGES = ['introduction.html', 'model.html', 'processes/cow.html'];
// The diagrams, by the page that shows them (tests/tests/book.rs has the same list): each
// with a label of its English drawing and the same label in the Chinese one.
const DIAGRAMS = {
    'concepts.html': [
        { id: 'diagram-gil-handover', en: 'holds the GIL, runs bytecode', zh: '持有 GIL，执行字节码' },
        { id: 'diagram-thread-process-memory', en: 'one address space, shared by both threads',
            zh: '一个地址空间，由两个线程共享' },
    ],
    'how-they-work.html': [
        { id: 'diagram-fork-cow', en: 'frame 4: a copy of C, 1 user', zh: '页框 4：C 的副本，1 个使用者' },
        { id: 'diagram-fd-table-fork-exec', en: '3: closed by exec', zh: '3：被 exec 关闭' },
        { id: 'diagram-zombie-orphan', en: 'PID 1 (or the nearest subreaper)', zh: 'PID 1（或最近的 subreaper）' },
    ],
    'steps.html': [
        { id: 'diagram-four-steps', en: 'Step 2: set the target', zh: '第 2 步：设置目标' },
    ],
    'threads/memory-ordering.html': [
        { id: 'diagram-happens-before', en: 'unlock → the next lock', zh: '解锁 → 下一次加锁' },
    ],
    'threads/store-buffering.html': [
        { id: 'diagram-store-buffer', en: 'not yet visible to the other core', zh: '另一个核心还看不到' },
    ],
    'processes/pipes.html': [
        { id: 'diagram-pipe-buffer', en: 'writer: blocked in write', zh: '写入方：阻塞在 write 中' },
    ],
    'processes/pipe-deadlock.html': [
        { id: 'diagram-pipe-deadlock', en: 'stdin pipe: full (64 KiB)', zh: 'stdin 管道：已满（64 KiB）' },
    ],
    'processes/pool.html': [
        { id: 'diagram-process-pool', en: 'feeder thread 1', zh: '投喂线程 1' },
    ],
};
// The page whose quiz is answered in each edition, and what quiz.js says there: feedback for a
// right and a wrong answer (the start of it), and the score after one right of two answered.
const QUIZ_PAGE = 'concepts.html';
const QUIZ_TEXT = {
    en: { right: 'Right', wrong: 'Not quite', score: /^1 of \d+ right \(2 answered\)$/ },
    'zh-CN': { right: '正确', wrong: '不对', score: /^\d+ 题中答对 1 题（已答 2 题）$/ },
};
// mdBook's themes (the class on <html>), each of which must draw the diagrams legibly.
const THEMES = ['light', 'rust', 'coal', 'navy', 'ayu'];
// Contrast ratios (WCAG 2's formula): a diagram's words against what is behind them, and
// its lines against the page.
const TEXT_CONTRAST = 4.5;
const LINE_CONTRAST = 3;
// Pages whose language switch is clicked, both ways.
const SWITCH_CLICK_PAGES = ['introduction.html', 'model.html', 'threads/race.html'];
// HTML files that are not chapters: the landing copy of the first chapter, the whole book on
// one page, the sidebar for readers without JavaScript, and the not-found page.
const NON_CHAPTER_PAGES = ['index.html', 'print.html', 'toc.html', '404.html'];

// The "Be the scheduler" levels (book/src/scheduler/*.md): each one's data, as the widget and
// tests/tests/scheduler.rs read it; the two screenshot while half-played.
const SCHEDULER_DIR = path.join(REPO, 'book', 'src', 'scheduler');
const SCHEDULER_SCREENSHOTS = ['store-buffering', 'pipe-deadlock'];
function schedulerLevels() {
    return fs.readdirSync(SCHEDULER_DIR).filter(f => f.endsWith('.md')).sort().map(file => {
        const md = fs.readFileSync(path.join(SCHEDULER_DIR, file), 'utf8');
        const json = /<script type="application\/json">([\s\S]*?)<\/script>/.exec(md)[1];
        return { name: file.replace(/\.md$/, ''), ...JSON.parse(json) };
    });
}

// Chromium as root on a machine whose only network is loopback: no sandbox, no GPU, and none
// of the background connections to Google's hosts (which fail here, noisily). Playwright
// starts it with a new, empty profile directory of its own and removes it on close.
const CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Every check, by name (a page, or a page and what was done there), and whether it passed.
const checks = new Map();
const problems = [];
function check(name) {
    if (!checks.has(name)) {
        checks.set(name, true);
    }
}
// Set when the run ends (by its deadline, say): what fails as the browser and server close
// under a run still going is no problem of the book.
let closing = false;
function problem(name, what) {
    if (closing) {
        return;
    }
    checks.set(name, false);
    problems.push(`${name}: ${what}`);
    console.log(`  FAIL ${name}: ${what}`);
}

// ---------------------------------------------------------------------------------------
// The static server: files under BOOK_DIR, a directory as its index.html, nothing outside.

const TYPES = {
    '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
    '.json': 'application/json', '.woff': 'font/woff', '.woff2': 'font/woff2',
    '.ttf': 'font/ttf', '.txt': 'text/plain; charset=utf-8', '.ico': 'image/x-icon',
};

// The file a URL path names under BOOK_DIR, or null when there is none.
function fileFor(urlPath) {
    let decoded;
    try {
        decoded = decodeURIComponent(urlPath);
    } catch {
        return null;
    }
    let file = path.join(BOOK_DIR, path.normalize(decoded));
    if (file !== BOOK_DIR && !file.startsWith(BOOK_DIR + path.sep)) {
        return null;
    }
    try {
        if (fs.statSync(file).isDirectory()) {
            file = path.join(file, 'index.html');
        }
        return fs.statSync(file).isFile() ? file : null;
    } catch {
        return null;
    }
}

function startServer() {
    const server = http.createServer((req, res) => {
        const url = new URL(req.url, 'http://localhost');
        const file = req.method === 'GET' || req.method === 'HEAD' ? fileFor(url.pathname) : null;
        if (!file) {
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('not found\n');
            return;
        }
        const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
        if (req.method === 'HEAD') {
            res.end();
        } else {
            fs.createReadStream(file).pipe(res);
        }
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
    });
}

function stopServer(server) {
    return new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
    });
}

// ---------------------------------------------------------------------------------------
// Pages.

// Every .html file under dir, as site paths relative to dir ('threads/race.html'), leaving
// out the subdirectories listed in skip (the other edition, inside the English one).
function htmlFiles(dir, skip = []) {
    const found = [];
    (function walk(sub) {
        for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
            const rel = sub ? `${sub}/${entry.name}` : entry.name;
            if (entry.isDirectory()) {
                if (!skip.includes(rel)) {
                    walk(rel);
                }
            } else if (entry.name.endsWith('.html')) {
                found.push(rel);
            }
        }
    })('');
    return found.sort();
}

// What one page load saw: console errors, page errors, failed or outside requests. Returns
// the set of requests still under way, so that a page is left only once they have ended
// (a request cut short by the next navigation would look failed).
function watch(page, origin, label) {
    const pending = new Set();
    page.on('request', request => pending.add(request));
    page.on('requestfinished', request => pending.delete(request));
    page.on('requestfailed', request => pending.delete(request));
    page.on('console', msg => {
        if (msg.type() === 'error') {
            const where = msg.location() && msg.location().url ? ` (${msg.location().url})` : '';
            problem(label.current, `console error: ${msg.text()}${where}`);
        }
    });
    page.on('pageerror', error => problem(label.current, `page error: ${error.message}`));
    page.on('requestfailed', request => {
        const failure = request.failure();
        // The browser asks for the favicon on its own after `load`, and drops the request
        // when the next page is opened: that is no fault of the page. The icon files are
        // checked with the page's other <link href> files.
        const dropped = failure && failure.errorText === 'net::ERR_ABORTED'
            && /\/favicon[^/]*$/.test(new URL(request.url()).pathname);
        if (request.url().startsWith(origin) && !dropped) {
            problem(label.current,
                `request failed: ${request.url()} (${failure ? failure.errorText : 'unknown'})`);
        }
    });
    page.on('response', response => {
        if (response.url().startsWith(origin) && response.status() >= 400) {
            problem(label.current, `HTTP ${response.status()} for ${response.url()}`);
        }
    });
    return pending;
}

// Waits until the page has no request under way (the favicon, say, is asked for after
// `load`), or reports the ones still pending at the deadline.
async function settle(pending, label) {
    const deadline = Date.now() + NAVIGATION_TIMEOUT;
    while (pending.size > 0 && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 20));
    }
    if (pending.size > 0) {
        problem(label.current, `requests still under way after ${NAVIGATION_TIMEOUT / 1000} s: `
            + Array.from(pending, r => r.url()).join(' '));
        pending.clear();
    }
}

// In the page: the sidebar's chapter links, every link, every element id, and every image's
// state. The zoomed-in copy of an image (mdBook shows it when its checkbox is ticked) is
// measured with the box ticked, then unticked again.
function inspectPage() {
    const rect = el => {
        const r = el.getBoundingClientRect();
        return { width: r.width, height: r.height };
    };
    const images = [];
    for (const img of document.querySelectorAll('img')) {
        const entry = {
            src: img.currentSrc || img.src,
            complete: img.complete,
            naturalWidth: img.naturalWidth,
            naturalHeight: img.naturalHeight,
            rendered: rect(img),
            zoomed: false,
        };
        const wrapper = img.closest('.img-wrapper');
        const box = wrapper && wrapper.parentElement
            ? wrapper.parentElement.querySelector(':scope > .checkbox-img') : null;
        if (box) {
            entry.zoomed = true;
            box.checked = true;
            entry.rendered = rect(img);
            box.checked = false;
        }
        images.push(entry);
    }
    const links = Array.from(document.querySelectorAll('a[href], link[href]'), a => ({
        href: a.getAttribute('href'),
        resolved: a.href,
        text: a.localName === 'link'
            ? `<link rel=${a.rel}>` : (a.textContent || '').trim().slice(0, 60),
    }));
    const ids = Array.from(document.querySelectorAll('[id]'), el => el.id)
        .concat(Array.from(document.querySelectorAll('a[name]'), a => a.getAttribute('name')));
    // The chapters: mdBook also lists the current page's own headings in the sidebar, as
    // links to "#id", which are not chapters.
    const sidebar = Array.from(document.querySelectorAll('#mdbook-sidebar a[href]'))
        .filter(a => !a.getAttribute('href').startsWith('#'))
        .map(a => a.href);
    const switchLink = document.getElementById('language-switch');
    // The quizzes as quiz.js left them: per quiz, its questions, their "Check" buttons and
    // choice inputs, and its score line.
    const quizzes = Array.from(document.querySelectorAll('.quiz'), quiz => {
        const questions = Array.from(quiz.querySelectorAll('.question'));
        return {
            name: quiz.dataset.quiz,
            questions: questions.length,
            checks: questions.filter(q => q.querySelector('button.quiz-check')).length,
            withInputs: questions.filter(q => q.querySelectorAll('li > input').length >= 2).length,
            score: (quiz.querySelector('.quiz-score') || { textContent: '' }).textContent,
        };
    });
    return {
        images, links, ids, sidebar, quizzes,
        lang: document.documentElement.lang,
        title: document.title,
        languageSwitch: switchLink ? switchLink.href : null,
    };
}

// In the page: every diagram (figure.diagram), its size, its labels, and, in each theme, the
// lowest contrast of its words against what is drawn behind them and of its lines against
// the page's background.
function inspectDiagrams(themes) {
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    // Any CSS colour as [r, g, b]: painted over the page's background, read back.
    const rgb = (css, under) => {
        ctx.fillStyle = under || '#fff';
        ctx.fillRect(0, 0, 1, 1);
        ctx.fillStyle = css;
        ctx.fillRect(0, 0, 1, 1);
        return Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
    };
    const luminance = colour => {
        const [r, g, b] = colour.map(c => {
            const v = c / 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => {
        const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (high + 0.05) / (low + 0.05);
    };
    const html = document.documentElement;
    const original = themes.filter(theme => html.classList.contains(theme));
    const found = [];
    for (const figure of document.querySelectorAll('figure.diagram')) {
        const svg = figure.querySelector(':scope > svg');
        const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
        const entry = {
            id: figure.id,
            width: box.width,
            height: box.height,
            visible: svg ? svg.checkVisibility({ opacityProperty: true, visibilityProperty: true }) : false,
            labels: [],
            themes: {},
        };
        found.push(entry);
        if (!svg) {
            continue;
        }
        const objects = Array.from(svg.querySelectorAll('foreignObject'));
        for (const object of objects) {
            const div = object.firstElementChild;
            const r = div.getBoundingClientRect();
            entry.labels.push({
                text: div.innerText.trim(),
                width: r.width,
                height: r.height,
                overflows: div.scrollHeight > div.clientHeight + 1 || div.scrollWidth > div.clientWidth + 1,
            });
        }
        // What is drawn behind a label: the last filled shape before it, in document
        // order, that holds its centre; else the page. A "tag" label has the page's
        // background behind its words.
        const shapes = Array.from(svg.querySelectorAll('rect, circle'));
        const behind = object => {
            if (object.firstElementChild.classList.contains('tag')) {
                return null;
            }
            const x = object.x.baseVal.value + object.width.baseVal.value / 2;
            const y = object.y.baseVal.value + object.height.baseVal.value / 2;
            let under = null;
            for (const shape of shapes) {
                if (shape.compareDocumentPosition(object) & Node.DOCUMENT_POSITION_FOLLOWING
                    && getComputedStyle(shape).fill !== 'none') {
                    const b = shape.getBBox();
                    if (x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height) {
                        under = shape;
                    }
                }
            }
            return under;
        };
        const under = objects.map(behind);
        for (const theme of themes) {
            html.classList.remove(...themes);
            html.classList.add(theme);
            const page = rgb(getComputedStyle(html).backgroundColor);
            const pageCss = `rgb(${page.join(',')})`;
            let text = { ratio: Infinity, label: '' };
            objects.forEach((object, index) => {
                const words = rgb(getComputedStyle(object.firstElementChild).color, pageCss);
                const back = under[index] ? rgb(getComputedStyle(under[index]).fill, pageCss) : page;
                const ratio = contrast(words, back);
                if (ratio < text.ratio) {
                    text = { ratio, label: entry.labels[index].text };
                }
            });
            let line = { ratio: Infinity, what: '' };
            for (const path of svg.querySelectorAll('path.line')) {
                const ratio = contrast(rgb(getComputedStyle(path).stroke, pageCss), page);
                if (ratio < line.ratio) {
                    line = { ratio, what: path.getAttribute('class') };
                }
            }
            entry.themes[theme] = { text, line };
        }
        html.classList.remove(...themes);
        html.classList.add(...original);
    }
    return found;
}

// ---------------------------------------------------------------------------------------

async function run(state) {
    const started = Date.now();
    if (!fs.existsSync(path.join(BOOK_DIR, 'index.html'))) {
        throw new Error(`${BOOK_DIR}/index.html is missing: build the book first (book/build)`);
    }
    const zhBuilt = fs.existsSync(path.join(BOOK_DIR, 'zh-CN', 'index.html'));
    if (REQUIRE_ZH_CN && !zhBuilt) {
        throw new Error(`${BOOK_DIR}/zh-CN/index.html is missing: the Chinese edition is `
            + 'required (book/build builds it); build both editions with book/build');
    }
    const editions = EDITIONS.filter(e => e.name === 'en' || zhBuilt);
    const bilingual = editions.length === 2;
    if (!bilingual) {
        console.log('The Chinese edition is not built (no book/build yet): English only.');
    }

    state.server = await startServer();
    const origin = `http://127.0.0.1:${state.server.address().port}/`;
    console.log(`Serving ${BOOK_DIR} at ${origin}`);

    state.browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: NAVIGATION_TIMEOUT,
    });
    console.log(`Chromium ${state.browser.version()} (${CHROMIUM})`);
    const context = await state.browser.newContext({
        viewport: { width: 1280, height: 900 },
        serviceWorkers: 'block',
    });
    context.setDefaultTimeout(ACTION_TIMEOUT);
    context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT);
    // Anything outside the site is refused, and is a problem: the book must work offline.
    const label = state.label;
    // Runs one check (a click, a search, a screenshot); an error in it (a timeout, say) is
    // that check's problem, and the run goes on with the next.
    async function attempt(action) {
        const name = label.current;
        try {
            await action();
        } catch (error) {
            problem(name, `stopped: ${String(error.message || error).split('\n')[0]}`);
        }
    }
    await context.route(url => !url.href.startsWith(origin) && !url.href.startsWith('data:'),
        route => {
            problem(label.current, `requests a file outside the site: ${route.request().url()}`);
            return route.abort('blockedbyclient');
        });
    const page = await context.newPage();
    const pending = watch(page, origin, label);

    const visited = new Map(); // URL without fragment -> what inspectPage found
    let imageCount = 0;
    let linkCount = 0;
    let quizCount = 0;
    let questionCount = 0;

    // Waits for the page's fonts, within ACTION_TIMEOUT (page.evaluate has no deadline of
    // its own); fonts still loading then are a problem of the page.
    async function fontsLoaded() {
        const loaded = await page.evaluate(timeout => Promise.race([
            document.fonts.ready.then(() => true),
            new Promise(resolve => setTimeout(() => resolve(false), timeout)),
        ]), ACTION_TIMEOUT);
        if (!loaded) {
            problem(label.current, `fonts still loading after ${ACTION_TIMEOUT / 1000} s`);
        }
    }
    // Opens a page and waits for it to settle (fonts, late requests such as the favicon).
    async function go(url) {
        const response = await page.goto(url, { waitUntil: 'load' });
        await fontsLoaded();
        await settle(pending, label);
        return response;
    }
    // Clicks a link and waits for the page it leads to, settled.
    async function follow(link, url) {
        await Promise.all([page.waitForURL(url, { waitUntil: 'load' }), link.click()]);
        await fontsLoaded();
        await settle(pending, label);
    }

    // Opens one page, records what it holds, and checks its load and its images.
    async function visit(rel, edition) {
        const url = origin + edition.prefix + rel;
        label.current = edition.prefix + rel;
        const response = await go(url);
        if (!response) {
            problem(label.current, 'no response');
            return null;
        }
        if (response.status() !== 200) {
            problem(label.current, `HTTP ${response.status()}`);
        }
        check(label.current);
        // The sidebar and the language switch are in place at `load`: their scripts run
        // before it.
        const found = await page.evaluate(inspectPage);
        if (rel !== 'toc.html' && found.lang !== edition.lang) {
            problem(label.current, `<html lang="${found.lang}">, expected "${edition.lang}"`);
        }
        for (const img of found.images) {
            imageCount++;
            const which = `${img.zoomed ? 'zoomed image' : 'image'} ${img.src}`;
            if (!img.complete || img.naturalWidth === 0 || img.naturalHeight === 0) {
                problem(label.current, `${which} did not load (naturalWidth ${img.naturalWidth})`);
            } else if (img.rendered.width === 0 || img.rendered.height === 0) {
                problem(label.current,
                    `${which} is drawn at ${img.rendered.width}x${img.rendered.height}`);
            }
        }
        for (const quiz of found.quizzes) {
            quizCount++;
            questionCount += quiz.questions;
            if (quiz.questions === 0 || quiz.checks !== quiz.questions
                || quiz.withInputs !== quiz.questions || quiz.score === '') {
                problem(label.current, `quiz "${quiz.name}" did not render: ${quiz.questions} `
                    + `questions, ${quiz.checks} Check buttons, ${quiz.withInputs} with choices, `
                    + `score "${quiz.score}"`);
            }
        }
        await checkDiagrams(rel, edition);
        visited.set(url, found);
        return found;
    }

    // The diagrams on the page just opened: the ones DIAGRAMS lists for it (print.html holds
    // them all), drawn, labelled in the edition's language, legible in every theme; each
    // photographed, and once more in a dark theme in the English edition.
    let diagramCount = 0;
    async function checkDiagrams(rel, edition) {
        const expected = rel === 'print.html'
            ? Object.values(DIAGRAMS).flat() : (DIAGRAMS[rel] || []);
        const found = await page.evaluate(inspectDiagrams, THEMES);
        const ids = found.map(d => d.id);
        if (ids.join(' ') !== expected.map(d => d.id).join(' ')) {
            problem(label.current, `diagrams [${ids.join(', ')}], expected [${expected.map(d => d.id).join(', ')}]`);
        }
        const chinese = edition.name === 'zh-CN';
        for (const diagram of found) {
            diagramCount++;
            const which = `diagram #${diagram.id}`;
            if (!diagram.visible || diagram.width === 0 || diagram.height === 0) {
                problem(label.current, `${which} is not drawn (${diagram.width}x${diagram.height}, `
                    + `visible: ${diagram.visible})`);
            }
            if (diagram.labels.length === 0) {
                problem(label.current, `${which} has no label`);
            }
            for (const l of diagram.labels) {
                if (l.width === 0 || l.height === 0 || l.text === '') {
                    problem(label.current, `${which}: the label "${l.text}" is not drawn`);
                } else if (l.overflows) {
                    problem(label.current, `${which}: the label "${l.text}" overflows its box`);
                }
            }
            const texts = diagram.labels.map(l => l.text);
            const known = expected.find(d => d.id === diagram.id);
            if (known) {
                const [mine, other] = chinese ? [known.zh, known.en] : [known.en, known.zh];
                if (!texts.includes(mine)) {
                    problem(label.current, `${which} has no label "${mine}"`);
                }
                if (texts.includes(other)) {
                    problem(label.current, `${which} has the other edition's label "${other}"`);
                }
            }
            const cjk = texts.filter(text => /[\u3400-\u9fff]/.test(text));
            if (chinese && cjk.length === 0) {
                problem(label.current, `${which}: no label is in Chinese`);
            } else if (!chinese && cjk.length > 0) {
                problem(label.current, `${which}: Chinese labels in the English edition: ${cjk.join(' | ')}`);
            }
            for (const [theme, seen] of Object.entries(diagram.themes)) {
                if (seen.text.ratio < TEXT_CONTRAST) {
                    problem(label.current, `${which}, theme ${theme}: the label "${seen.text.label}" `
                        + `stands out ${seen.text.ratio.toFixed(2)}:1 from what is behind it (< ${TEXT_CONTRAST})`);
                }
                if (seen.line.ratio < LINE_CONTRAST) {
                    problem(label.current, `${which}, theme ${theme}: a ${seen.line.what} stands out `
                        + `${seen.line.ratio.toFixed(2)}:1 from the page (< ${LINE_CONTRAST})`);
                }
            }
            if (rel !== 'print.html') {
                const name = diagram.id.replace(/^diagram-/, '');
                const figure = page.locator(`figure.diagram#${diagram.id}`);
                await screenshot(figure, `${edition.name}-diagram-${name}`, false);
                if (!chinese) {
                    const setTheme = ([themes, wanted]) => {
                        const classes = document.documentElement.classList;
                        const was = themes.filter(theme => classes.contains(theme));
                        classes.remove(...themes);
                        classes.add(...wanted);
                        return was;
                    };
                    const was = await page.evaluate(setTheme, [THEMES, ['navy']]);
                    await screenshot(figure, `${edition.name}-diagram-${name}-navy`, false);
                    await page.evaluate(setTheme, [THEMES, was]);
                }
            }
        }
    }

    // Chinese text needs a font with Chinese glyphs: without one, Chromium draws every
    // character as the same empty box, and the screenshots and the Chinese edition are
    // unreadable (the English edition quotes the tutorial's Chinese title too).
    label.current = 'fonts';
    check(label.current);
    const glyphs = await page.evaluate(() => {
        const canvas = document.createElement('canvas');
        canvas.width = 64;
        canvas.height = 64;
        const ctx = canvas.getContext('2d');
        ctx.font = `48px ${getComputedStyle(document.body).fontFamily}`;
        const draw = ch => {
            ctx.clearRect(0, 0, 64, 64);
            ctx.fillText(ch, 4, 52);
            return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(',');
        };
        return { differ: draw('写') !== draw('时'), family: ctx.font };
    });
    if (!glyphs.differ) {
        problem(label.current, 'Chinese characters are drawn as empty boxes: no font with '
            + 'Chinese glyphs is installed (Debian: apt-get install fonts-noto-cjk)');
    }

    const pageCounts = {};
    for (const edition of editions) {
        const root = path.join(BOOK_DIR, edition.prefix);
        const onDisk = htmlFiles(root, edition.prefix === '' ? ['zh-CN'] : []);
        // The chapters, from the sidebar as the browser builds it on the first page.
        const first = await visit('index.html', edition);
        if (!first) {
            throw new Error(`${edition.prefix}index.html did not load`);
        }
        const base = origin + edition.prefix;
        const chapters = [];
        for (const href of first.sidebar) {
            const bare = href.split('#')[0];
            if (!bare.startsWith(base)) {
                problem(`${edition.prefix}index.html`, `sidebar links outside its edition: ${href}`);
                continue;
            }
            const rel = bare.slice(base.length);
            if (!chapters.includes(rel)) {
                chapters.push(rel);
            }
        }
        if (chapters.length === 0) {
            throw new Error(`${edition.prefix}index.html: the sidebar lists no chapter`);
        }
        for (const rel of chapters) {
            if (!onDisk.includes(rel)) {
                problem(`${edition.prefix}index.html`, `the sidebar lists ${rel}, which was not built`);
            }
        }
        const others = onDisk.filter(rel => !chapters.includes(rel));
        for (const rel of others) {
            if (!NON_CHAPTER_PAGES.includes(rel)) {
                problem(edition.prefix + rel, 'built, but not in the sidebar');
            }
        }
        console.log(`\n${edition.name}: ${chapters.length} chapter pages in the sidebar, `
            + `${onDisk.length} HTML files (${others.join(', ')} besides)`);
        pageCounts[edition.name] = { chapters: chapters.length, files: onDisk.length };
        for (const rel of chapters.concat(others.filter(r => r !== 'index.html'))) {
            if (onDisk.includes(rel)) {
                await visit(rel, edition);
            }
        }
    }

    // Links, checked once every page (and so every id) is known.
    console.log('\nChecking links');
    for (const [pageUrl, found] of visited) {
        const from = pageUrl.slice(origin.length);
        for (const link of found.links) {
            if (!link.resolved.startsWith(origin)) {
                continue; // another site, or mailto: (not reachable from here)
            }
            linkCount++;
            const target = new URL(link.resolved);
            const file = fileFor(target.pathname);
            if (!file) {
                problem(from, `link "${link.text}" (${link.href}) leads to a missing file`);
                continue;
            }
            const fragment = decodeURIComponent(target.hash.slice(1));
            if (!fragment || !file.endsWith('.html')) {
                continue;
            }
            if (from.endsWith('404.html') && link.href.startsWith('#')) {
                // mdBook's not-found page has <base href> at the site root (it is served for
                // any missing path), so its heading's own anchor points at the root page: by
                // design, and harmless.
                continue;
            }
            const targetUrl = origin + path.relative(BOOK_DIR, file).split(path.sep).join('/');
            const there = visited.get(targetUrl);
            if (!there) {
                problem(from, `link "${link.text}" (${link.href}) leads to a page the test did not open`);
            } else if (!there.ids.includes(fragment)) {
                problem(from, `link "${link.text}" (${link.href}): no id "${fragment}" on ${targetUrl.slice(origin.length)}`);
            }
        }
    }

    // The language switch: on every page, it points at the same page in the other edition;
    // on a few, a click leads there.
    let switchChecked = 0;
    if (bilingual) {
        console.log('Checking the language switch');
        for (const [pageUrl, found] of visited) {
            const rel = pageUrl.slice(origin.length);
            if (rel.endsWith('toc.html')) {
                continue; // the sidebar for readers without JavaScript: no menu bar
            }
            const chinese = rel.startsWith('zh-CN/');
            const expected = origin + (chinese ? rel.slice('zh-CN/'.length) : `zh-CN/${rel}`);
            switchChecked++;
            if (!found.languageSwitch) {
                problem(rel, 'no language switch (a#language-switch)');
            } else if (found.languageSwitch.split('#')[0] !== expected) {
                problem(rel, `the language switch leads to ${found.languageSwitch}, expected ${expected}`);
            }
        }
        for (const [from, to] of [[EDITIONS[0], EDITIONS[1]], [EDITIONS[1], EDITIONS[0]]]) {
            for (const rel of SWITCH_CLICK_PAGES) {
                label.current = `${from.prefix}${rel} (language switch)`;
                check(label.current);
                await attempt(async () => {
                    await go(origin + from.prefix + rel);
                    const link = page.locator('#language-switch');
                    if (await link.count() === 0) {
                        problem(label.current, 'no language switch to click');
                        return;
                    }
                    await follow(link, origin + to.prefix + rel);
                    const lang = await page.evaluate(() => document.documentElement.lang);
                    if (lang !== to.lang) {
                        problem(label.current, `landed on a page with lang "${lang}", expected "${to.lang}"`);
                    }
                    console.log(`  ${from.prefix}${rel} -> ${to.prefix}${rel}`);
                });
            }
        }
    }

    // A quiz, answered as a reader does, in each edition: the first question wrong, the
    // second right (each chosen by its data-answer), with the keyboard and the mouse; the
    // feedback is in words, in the page's language, and opens the explanation; the score
    // counts them; after a reload the answers are still there (localStorage), and "Reset this
    // quiz" forgets them.
    console.log('Checking a quiz');
    for (const edition of editions) {
        label.current = `${edition.prefix}${QUIZ_PAGE} (quiz)`;
        check(label.current);
        await attempt(async () => {
            const words = QUIZ_TEXT[edition.name];
            await go(origin + edition.prefix + QUIZ_PAGE);
            const questions = page.locator('.quiz .question');
            const answerOf = async q => (await q.getAttribute('data-answer')).split(',').map(Number);
            const feedbackOf = async (q, expected, what) => {
                const feedback = (await q.locator('.quiz-feedback').innerText()).trim();
                if (!feedback.includes(expected)) {
                    problem(label.current, `${what}: feedback "${feedback}", expected "${expected}"`);
                }
                const open = await q.locator('details.explanation').evaluate(d => d.open);
                const shown = await q.locator('details.explanation').innerText();
                if (!open || shown.trim().length < 20) {
                    problem(label.current, `${what}: the explanation is not shown`);
                }
                const chinese = /[\u3400-\u9fff]/.test(shown);
                if (chinese !== (edition.name === 'zh-CN')) {
                    problem(label.current, `${what}: the explanation is not in the page's language`);
                }
            };
            // The first question, wrong: a choice outside its answer, picked with the keyboard.
            const first = questions.nth(0);
            const firstAnswer = await answerOf(first);
            const wrong = [1, 2, 3, 4, 5, 6].find(n => !firstAnswer.includes(n));
            await first.locator('li > input').nth(wrong - 1).focus();
            await page.keyboard.press('Space');
            await first.locator('button.quiz-check').press('Enter');
            await feedbackOf(first, words.wrong, 'a wrong answer');
            // The second question, right: every choice its answer names, with the mouse.
            const second = questions.nth(1);
            for (const n of await answerOf(second)) {
                await second.locator('li > label').nth(n - 1).click();
            }
            await second.locator('button.quiz-check').click();
            await feedbackOf(second, words.right, 'a right answer');
            const score = async () => (await page.locator('.quiz-score').first().innerText()).trim();
            if (!words.score.test(await score())) {
                problem(label.current, `the score reads "${await score()}", expected ${words.score}`);
            }
            await screenshot(page.locator('.quiz').first(), `${edition.name}-quiz`, false);
            // Kept across a reload.
            await go(origin + edition.prefix + QUIZ_PAGE);
            if (!words.score.test(await score())) {
                problem(label.current, `after a reload the score reads "${await score()}": progress not kept`);
            }
            await feedbackOf(questions.nth(1), words.right, 'a right answer, after a reload');
            // Reset: nothing answered, every Check button back.
            await page.locator('button.quiz-reset').first().click();
            const answered = await page.locator('.quiz').first()
                .locator('.question.quiz-answered-right, .question.quiz-answered-wrong').count();
            if (answered !== 0) {
                problem(label.current, `after "reset", ${answered} questions still answered`);
            }
            console.log(`  ${edition.prefix}${QUIZ_PAGE}: feedback, explanation, score and reload checked`);
        });
    }

    // Search: open the search bar as a reader does, type, wait for the results.
    console.log('Checking search');
    for (const edition of editions) {
        const { word, page: expected } = edition.search;
        label.current = `${edition.prefix}introduction.html (search for "${word}")`;
        check(label.current);
        await attempt(async () => {
            await go(`${origin}${edition.prefix}introduction.html`);
            await page.locator('#mdbook-search-toggle').click();
            const box = page.locator('#mdbook-searchbar');
            await box.waitFor({ state: 'visible' });
            // Wait for the index, so the keystrokes are not typed into a search that has none.
            await page.waitForFunction(
                () => window.search !== undefined && window.search.index !== undefined,
                null, { timeout: SEARCH_TIMEOUT });
            // mdBook searches on `keyup`. A word on the keyboard is typed key by key; a Chinese
            // word comes from an input method, which inserts the text and then releases the key
            // that committed it: insert, then press and release a key that changes nothing.
            if (/^[\x20-\x7e]+$/.test(word)) {
                await box.pressSequentially(word, { delay: 20 });
            } else {
                await box.focus();
                await page.keyboard.insertText(word);
                await box.press('End');
            }
            // mdBook's searcher writes a header ("N search results for …", or "No search
            // results for …") and then the results.
            const header = page.locator('#mdbook-searchresults-header');
            try {
                await page.waitForFunction(
                    w => document.getElementById('mdbook-searchresults-header').innerText.includes(w),
                    word, { timeout: SEARCH_TIMEOUT });
            } catch {
                problem(label.current, `the search showed nothing for "${word}" within `
                    + `${SEARCH_TIMEOUT / 1000} s (header: "${await header.innerText()}")`);
                await screenshot(page, `${edition.name}-search`, false);
                return;
            }
            const results = page.locator('#mdbook-searchresults li a[href]');
            const hrefs = await results.evaluateAll(links => links.map(a => a.href));
            if (hrefs.length === 0) {
                problem(label.current, `no search result: "${await header.innerText()}"`);
                await screenshot(page, `${edition.name}-search`, false);
                return;
            }
            const expectedUrl = origin + edition.prefix + expected;
            const hit = hrefs.findIndex(href => href.split(/[?#]/)[0] === expectedUrl);
            console.log(`  ${edition.name}: "${word}": ${hrefs.length} results`
                + (hit >= 0 ? `, ${expected} is result ${hit + 1}` : ''));
            await screenshot(page, `${edition.name}-search`, false);
            if (hit < 0) {
                problem(label.current, `no result links to ${expected}; results: ${hrefs.slice(0, 10).join(' ')}`);
                return;
            }
            await follow(results.nth(hit), url => url.href.split(/[?#]/)[0] === expectedUrl);
            const text = await page.locator('main').innerText();
            if (!text.toLowerCase().includes(word.toLowerCase())) {
                problem(label.current, `the result opened ${expected}, whose text has no "${word}"`);
            }
        });
    }

    // Every level, in both editions: played to its failure by its known schedule, half with
    // clicks and half with the keyboard; undone one step and redone; then the fixed version.
    // The counts the widget computed must be the level's `expect` (which the Rust test counts
    // independently), the fixed version's failing count 0, and the texts in the page's language.
    console.log('Playing the scheduler levels');
    const cjk = /[\u3400-\u9fff]/;
    for (const edition of editions) {
        const chinese = edition.name === 'zh-CN';
        for (const level of schedulerLevels()) {
            const rel = level.page.replace(/\.md$/, '.html');
            label.current = `${edition.prefix}${rel} (scheduler level ${level.name})`;
            check(label.current);
            await attempt(async () => {
                await go(origin + edition.prefix + rel);
                const root = page.locator(`.scheduler[data-level="${level.name}"]`);
                const ui = root.locator('.sched-ui');
                const counts = async which => {
                    const count = root.locator('.sched-count');
                    const got = {
                        schedules: Number(await count.getAttribute('data-schedules')),
                        failing: Number(await count.getAttribute('data-failing')),
                    };
                    const want = level[which].expect;
                    if (got.schedules !== want.schedules || got.failing !== want.failing) {
                        problem(label.current, `${which}: the widget counts ${got.schedules} `
                            + `schedules, ${got.failing} failing; the level expects `
                            + `${want.schedules}, ${want.failing}`);
                    }
                    const text = await count.innerText();
                    if (chinese !== cjk.test(text)) {
                        problem(label.current, `the count "${text}" is not in the page's language`);
                    }
                    return got;
                };
                if (await root.getAttribute('data-state') !== 'playing') {
                    problem(label.current, `the widget did not start (data-state `
                        + `${await root.getAttribute('data-state')})`);
                    return;
                }
                await counts('buggy');
                const n = level.buggy.actors.length;
                const runAction = async (action, byKey) => {
                    if (byKey) {
                        await ui.focus();
                        const key = `Digit${action % n + 1}`;
                        await page.keyboard.press(action >= n ? `Shift+${key}` : key);
                    } else {
                        await root.locator(`button[data-action="${action}"]`).click();
                    }
                };
                const winning = level.buggy.winning;
                for (const [k, action] of winning.entries()) {
                    if (await root.getAttribute('data-state') !== 'playing') {
                        problem(label.current, `the level ended before step ${k + 1} of the schedule`);
                        return;
                    }
                    await runAction(action, k % 2 === 1);
                    if (!chinese && k === Math.floor(winning.length / 2)
                        && SCHEDULER_SCREENSHOTS.includes(level.name)) {
                        await screenshot(root, `${edition.name}-scheduler-${level.name}-mid-play`, false);
                    }
                }
                const win = root.locator(':scope > .win');
                if (await root.getAttribute('data-state') !== 'failed' || !await win.isVisible()) {
                    problem(label.current, 'the winning schedule did not reach the failure');
                    return;
                }
                const winText = await win.innerText();
                if (chinese !== cjk.test(winText)) {
                    problem(label.current, `the win text is not in the page's language: ${winText.slice(0, 60)}`);
                }
                // Undo the last step, and redo it.
                await ui.focus();
                await page.keyboard.press('u');
                if (await root.getAttribute('data-state') !== 'playing' || await win.isVisible()) {
                    problem(label.current, 'undo did not take back the last step');
                }
                await runAction(winning[winning.length - 1], false);
                if (await root.getAttribute('data-state') !== 'failed') {
                    problem(label.current, 'redoing the last step did not fail again');
                }
                await root.locator('.sched-switch').click();
                if (await root.getAttribute('data-mode') !== 'fixed'
                    || !await root.locator(':scope > .fixed-why').isVisible()) {
                    problem(label.current, 'the fixed version did not open');
                    return;
                }
                const fixed = await counts('fixed');
                if (fixed.failing !== 0) {
                    problem(label.current, `the fixed version has ${fixed.failing} failing schedules`);
                }
                console.log(`  ${edition.name} ${level.name}: won in ${winning.length} steps; `
                    + `buggy ${level.buggy.expect.schedules}/${level.buggy.expect.failing}, `
                    + `fixed ${fixed.schedules}/${fixed.failing}`);
            });
        }
    }

    // Screenshots, for a person to look at.
    console.log('Taking screenshots');
    for (const edition of editions) {
        for (const rel of SCREENSHOT_PAGES) {
            label.current = `${edition.prefix}${rel} (screenshot)`;
            check(label.current);
            const name = `${edition.name}-${rel.replace(/\//g, '-').replace(/\.html$/, '')}`;
            await attempt(async () => {
                await go(origin + edition.prefix + rel);
                await screenshot(page, name, true);
            });
        }
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`\nOpened ${visited.size} pages (${Object.entries(pageCounts)
        .map(([name, c]) => `${name}: ${c.chapters} chapters + ${c.files - c.chapters} others`)
        .join('; ')}), ${imageCount} images, ${diagramCount} diagrams, ${quizCount} quizzes `
        + `(${questionCount} questions), ${linkCount} internal links`
        + (bilingual ? `, ${switchChecked} language switches` : '') + ` in ${seconds} s`);
}

// A screenshot of a page (or of one element of it: a playwright Locator, where fullPage is
// false and ignored).
async function screenshot(page, name, fullPage) {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot(fullPage ? { path: file, fullPage } : { path: file });
    console.log(`  screenshot ${file}`);
}

async function main() {
    const state = { server: null, browser: null, label: { current: '(start)' } };
    let failure = null;
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(
            () => reject(new Error(`the whole run took over ${DEADLINE_S} s (BROWSER_TEST_TIMEOUT_S)`)),
            DEADLINE_S * 1000);
    });
    fs.rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
    const running = run(state);
    // After the deadline, the run goes on failing as its browser closes under it: its end
    // is of no interest then.
    running.catch(() => {});
    try {
        await Promise.race([running, deadline]);
    } catch (error) {
        failure = error;
    } finally {
        clearTimeout(timer);
        closing = true;
        // The browser first, then the server. Closing has its own deadline: a browser that
        // does not close is killed by playwright-core when this process exits.
        const closed = (async () => {
            if (state.browser) {
                await state.browser.close().catch(() => {});
            }
            if (state.server) {
                await stopServer(state.server);
            }
        })();
        await Promise.race([
            closed,
            new Promise(resolve => setTimeout(resolve, 10_000).unref()),
        ]);
    }
    if (failure) {
        problems.push(`${state.label.current}: stopped: ${failure.message.split('\n')[0]}`);
        console.error(String(failure.message || failure));
    }
    if (fs.existsSync(SCREENSHOT_DIR)) {
        console.log(`Screenshots: ${SCREENSHOT_DIR}`);
    }
    if (problems.length > 0) {
        console.error(`\nThe book in the browser: ${problems.length} problem(s):`);
        for (const p of problems) {
            console.error(`  ${p}`);
        }
    }
    const failed = Array.from(checks.values()).filter(ok => !ok).length + (failure ? 1 : 0);
    const passed = Array.from(checks.values()).filter(ok => ok).length;
    if (problems.length === 0) {
        console.log('The book in the browser: every check passed.');
    }
    // Each check is one page opened (its load, images, links and language switch), one
    // language-switch click, one search, one screenshot, or the font check.
    console.log(`browser: ${passed} passed, ${failed} failed`);
    // Exit now: should a browser not have closed in time, playwright-core kills it on exit.
    process.exit(problems.length === 0 ? 0 : 1);
}

main();
