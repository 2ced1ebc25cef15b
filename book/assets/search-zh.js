'use strict';

/* global elasticlunr */

// Search that finds Chinese words, in the Chinese edition only (<html lang="zh-CN">; in the
// English edition this script does nothing, and English search is mdBook's own).
//
// mdBook's search (elasticlunr) splits the text into words at spaces and hyphens. Chinese is
// written without spaces, so a Chinese sentence becomes one long "word" (or none: mdBook 0.5.4 does
// not index words over 80 bytes) and a search for 写时复制 or 线程 finds nothing. This is a
// known, long-open limitation of mdBook: https://github.com/rust-lang/mdBook/issues/1081 and
// https://github.com/rust-lang/mdBook/issues/2393.
//
// The index mdBook writes (searchindex.js) also stores the text of every section (title, body,
// breadcrumbs), for the teasers under the results. So this script wraps the index when mdBook's
// searcher loads it. A query that contains a Chinese (CJK) character is matched against those
// stored texts directly: a section matches when it contains every space-separated term of the
// query as it is (case-insensitive); when no section does, a section matches when it contains
// two thirds of each term's character bigrams (so 多进程编程 still finds 多进程的编程). A
// section scores by how often the terms occur, weighted by mdBook's own field boosts (a hit in
// the title counts more). Any other query (no CJK character, e.g. `fork` or `Mutex`) goes to
// elasticlunr as in the English edition; only its teaser is cut to the text around the first
// term. The results keep elasticlunr's form ({ref, score, doc}), so mdBook's searcher lists
// them, links each to its page and heading (doc_urls) and highlights the terms on the page it
// opens, as usual.
(function chineseSearch() {
    if (!document.documentElement.lang.startsWith('zh') || typeof elasticlunr === 'undefined') {
        return;
    }

    // Han ideographs (with extension A and compatibility ideographs), CJK punctuation, kana and
    // full-width forms.
    const CJK = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;
    const FIELDS = ['title', 'body', 'breadcrumbs'];
    // How much text the result's teaser shows around the first hit.
    const TEASER_BEFORE = 40;
    const TEASER_AFTER = 100;
    // Occurrences of one term in one field that still add to the score.
    const MAX_COUNTED = 10;

    function occurrences(text, term) {
        let count = 0;
        for (let at = text.indexOf(term); at !== -1 && count < MAX_COUNTED;
            at = text.indexOf(term, at + term.length)) {
            count++;
        }
        return count;
    }

    function bigrams(term) {
        const chars = Array.from(term);
        if (chars.length < 3) {
            return [term];
        }
        const grams = [];
        for (let i = 0; i + 1 < chars.length; i++) {
            grams.push(chars[i] + chars[i + 1]);
        }
        return grams;
    }

    // The body's text around `needle`, with spaces around the hit so that mdBook's teaser
    // (which works on space-separated words) emphasises it.
    function teaser(body, lowerBody, needle) {
        const at = lowerBody.indexOf(needle);
        if (at === -1) {
            return body.slice(0, TEASER_BEFORE + TEASER_AFTER);
        }
        const start = Math.max(at - TEASER_BEFORE, 0);
        const end = Math.min(at + needle.length + TEASER_AFTER, body.length);
        return (start > 0 ? '…' : '') + body.slice(start, at) + ' '
            + body.slice(at, at + needle.length) + ' '
            + body.slice(at + needle.length, end) + (end < body.length ? '…' : '');
    }

    function boosts(options) {
        const found = {};
        for (const field of FIELDS) {
            const settings = options && options.fields && options.fields[field];
            found[field] = settings && typeof settings.boost === 'number' ? settings.boost : 1;
        }
        // A hit in the breadcrumbs alone (mdBook's default boost for them is 0 or 1) should
        // still count a little.
        found.breadcrumbs = Math.max(found.breadcrumbs, 0.5);
        return found;
    }

    // Scores one section for `terms`, each a list of needles that must (all, or `need` of
    // them) occur; null when it does not match.
    function score(doc, lower, terms, weights, fraction) {
        let total = 0;
        let firstHit = null;
        for (const needles of terms) {
            let found = 0;
            for (const needle of needles) {
                let hit = false;
                for (const field of FIELDS) {
                    const count = occurrences(lower[field], needle);
                    if (count > 0) {
                        hit = true;
                        total += weights[field] * count;
                        if (firstHit === null && field === 'body') {
                            firstHit = needle;
                        }
                    }
                }
                if (hit) {
                    found++;
                }
            }
            if (found < Math.ceil(needles.length * fraction)) {
                return null;
            }
        }
        return {score: total, firstHit};
    }

    function textSearch(index, query, options) {
        const words = query.toLowerCase().split(/\s+/).filter(word => word !== '');
        const weights = boosts(options);
        const store = index.documentStore;
        const sections = Object.keys(store.docs).map(ref => {
            const doc = store.getDoc(ref);
            const lower = {};
            for (const field of FIELDS) {
                lower[field] = String(doc[field] || '').toLowerCase();
            }
            return {ref, doc, lower};
        });

        const passes = [
            // Every term as it is.
            {terms: words.map(word => [word]), fraction: 1},
            // Most of each Chinese term's bigrams; other terms as they are.
            {terms: words.map(word => (CJK.test(word) ? bigrams(word) : [word])), fraction: 2 / 3},
        ];
        for (const pass of passes) {
            const results = [];
            for (const section of sections) {
                const found = score(section.doc, section.lower, pass.terms, weights, pass.fraction);
                if (found === null) {
                    continue;
                }
                const body = String(section.doc.body || '');
                results.push({
                    ref: section.ref,
                    score: found.score,
                    doc: {
                        title: section.doc.title,
                        breadcrumbs: section.doc.breadcrumbs,
                        body: teaser(body, section.lower.body, found.firstHit || ''),
                    },
                });
            }
            if (results.length > 0) {
                // Best first; equal scores keep the book's order.
                return results.sort((a, b) => b.score - a.score || Number(a.ref) - Number(b.ref));
            }
        }
        return [];
    }

    const load = elasticlunr.Index.load;
    elasticlunr.Index.load = function loadWithChineseSearch(serialized) {
        const index = load.call(this, serialized);
        const wordSearch = index.search.bind(index);
        index.search = function search(query, options) {
            if (CJK.test(query)) {
                return textSearch(index, query, options);
            }
            // A Chinese section has few spaces, so mdBook's teaser (so many words) would show
            // most of it: show the text around the first term found instead.
            const words = query.toLowerCase().split(/\s+/).filter(word => word !== '');
            return wordSearch(query, options).map(result => {
                const body = String(result.doc.body || '');
                const lowerBody = body.toLowerCase();
                const word = words.find(candidate => lowerBody.includes(candidate));
                if (word === undefined) {
                    return result;
                }
                const doc = Object.assign({}, result.doc, {body: teaser(body, lowerBody, word)});
                return Object.assign({}, result, {doc});
            });
        };
        return index;
    };

    // mdBook's search box speaks English; say the same in Chinese.
    const searchbar = document.getElementById('mdbook-searchbar');
    if (searchbar) {
        searchbar.placeholder = '搜索本书……';
    }
    const header = document.getElementById('mdbook-searchresults-header');
    if (header && typeof MutationObserver !== 'undefined') {
        new MutationObserver(() => {
            const text = header.textContent;
            let match = /^(\d+) search results? for '(.*)':$/s.exec(text);
            if (match) {
                header.textContent = `找到 ${match[1]} 条“${match[2]}”的结果：`;
                return;
            }
            match = /^No search results for '(.*)'\.$/s.exec(text);
            if (match) {
                header.textContent = `没有找到“${match[1]}”。`;
            }
        }).observe(header, {childList: true, characterData: true, subtree: true});
    }
})();
