// "Be the scheduler": plays a level of book/src/scheduler/*.md. The level's data (the steps of
// each thread or process, the failure, the fixed version) is the JSON in its <script>; the
// texts around it are the page's own Markdown, translated with the book. The reader picks who
// runs next; reaching the failure wins. On load, every schedule of both versions is counted
// (memoised on the state, so a large count costs little), and the counts are shown: the
// tests/tests/scheduler.rs interpreter counts the same steps in Rust, and the browser test
// checks the two agree with the level's "expect". No request leaves the page; works from
// file://. The semantics of each operation mirror Program::enabled and Program::run there.
(function () {
    'use strict';

    const zh = (document.documentElement.lang || '').startsWith('zh');
    const T = zh ? {
        run: name => `运行 ${name}`,
        drain: name => `排空 ${name} 的存储缓冲区`,
        undo: '撤销', restart: '重新开始',
        tryFixed: '试试修正后的版本', backBuggy: '回到有缺陷的版本',
        buggy: '有缺陷的版本', fixed: '修正后的版本',
        count: (n, m) => `全部调度：${n.toLocaleString('zh-CN')} 种，其中失败 ${m.toLocaleString('zh-CN')} 种`,
        next: '下一步', blocked: '阻塞', finished: '已结束', notStarted: '尚未启动',
        asleep: '在条件变量上睡眠', woken: '已被唤醒，等待重新获得锁',
        shared: '共享变量', memory: '内存', locals: '局部变量', locks: '锁', condvars: '条件变量',
        channels: '通道与管道', buffers: '存储缓冲区', output: '输出',
        free: '空闲', heldBy: name => `被 ${name} 持有`,
        waiting: names => `等待者：${names}`, nobody: '无人等待',
        closed: '已关闭', empty: '空', of: (n, cap) => cap === null ? `${n} 项` : `${n} / ${cap}`,
        choose: k => `第 ${k} 步。请选择下一个运行者。`,
        won: '失败已出现：你赢得了本关。',
        allBlocked: '没有谁能再运行：程序永远卡住了。',
        finishedOk: '程序正常结束，没有失败。撤销或重新开始，再试另一种调度。',
        fixedOk: '程序正常结束。',
        keys: drains => `按键：1、2、3 运行对应的线程或进程；${drains ? 'Shift+数字 排空其存储缓冲区；' : ''}u 撤销；r 重新开始。`,
        none: '（无）', sketch: '（示例中没有这一行）', steps: '步骤',
    } : {
        run: name => `Run ${name}`,
        drain: name => `Drain ${name}'s store buffer`,
        undo: 'Undo', restart: 'Restart',
        tryFixed: 'Try the fixed version', backBuggy: 'Back to the buggy version',
        buggy: 'Buggy version', fixed: 'Fixed version',
        count: (n, m) => `All schedules: ${n.toLocaleString('en')}, of which ${m.toLocaleString('en')} fail`,
        next: 'next', blocked: 'blocked', finished: 'finished', notStarted: 'not started',
        asleep: 'asleep on the condvar', woken: 'woken, wants its lock back',
        shared: 'Shared variables', memory: 'Memory', locals: 'Locals', locks: 'Locks',
        condvars: 'Condvars', channels: 'Channels and pipes', buffers: 'Store buffers',
        output: 'Output',
        free: 'free', heldBy: name => `held by ${name}`,
        waiting: names => `waiting: ${names}`, nobody: 'nobody waiting',
        closed: 'closed', empty: 'empty', of: (n, cap) => cap === null ? `${n} items` : `${n} of ${cap}`,
        choose: k => `Step ${k}. Choose who runs next.`,
        won: 'Failure reached: you won the level.',
        allBlocked: 'Nobody can run any more: the program is stuck for ever.',
        finishedOk: 'The program finished without failing. Undo or restart, and try another schedule.',
        fixedOk: 'The program finished.',
        keys: drains => `Keys: 1, 2, 3 run that thread or process; ${drains ? 'Shift+digit drains its store buffer; ' : ''}u undoes; r restarts.`,
        none: '(none)', sketch: '(not a line of the example)', steps: 'steps',
    };

    // ---- The interpreter (the same as tests/tests/scheduler.rs) ----------------------------

    function Program(json) {
        this.vars = Object.keys(json.vars || {});
        this.init = this.vars.map(v => json.vars[v]);
        this.locks = json.locks || [];
        this.channels = Object.keys(json.channels || {}).map(name => [name, json.channels[name]]);
        this.condvars = json.condvars || [];
        this.buffered = !!json.buffers;
        this.actors = json.actors.map(a => ({
            name: a.name, started: a.started !== false, steps: a.steps,
        }));
        this.fail = json.fail;
    }
    function find(names, name, what) {
        const i = names.indexOf(name);
        if (i < 0) throw new Error(`no ${what} named ${name}`);
        return i;
    }
    Program.prototype = {
        start() {
            const n = this.actors.length;
            return {
                mem: this.init.slice(),
                holder: this.locks.map(() => null),
                chans: this.channels.map(() => [[], false]),
                pc: new Array(n).fill(0),
                started: this.actors.map(a => a.started),
                sleep: new Array(n).fill(0),
                locals: this.actors.map(() => ({})),
                buffers: this.actors.map(() => []),
                output: [],
            };
        },
        clone(s) { return JSON.parse(JSON.stringify(s)); },
        // The memo's key: the whole state, but of the output only its last line, the one
        // thing about it that a step or a failure ("last_not") reads; the schedules from two
        // states that differ only in earlier lines are the same, so the counts are exact.
        key(s) {
            return JSON.stringify([s.mem, s.holder, s.chans, s.pc, s.started, s.sleep,
                s.locals.map(l => Object.keys(l).sort().map(k => [k, l[k]])), s.buffers,
                s.output.length ? s.output[s.output.length - 1] : null]);
        },
        var(step) { return find(this.vars, step.var, 'variable'); },
        lock(step) { return find(this.locks, step.lock, 'lock'); },
        chan(step) { return find(this.channels.map(c => c[0]), step.chan, 'channel'); },
        actor(name) { return find(this.actors.map(a => a.name), name, 'actor'); },
        finished(s, a) { return s.pc[a] >= this.actors[a].steps.length; },
        value(s, a, step) {
            const base = step.from !== undefined ? s.locals[a][step.from] : (step.value || 0);
            return base + (step.add || 0);
        },
        read(s, a, v) {
            const buf = s.buffers[a];
            for (let k = buf.length - 1; k >= 0; k--) {
                if (buf[k][0] === v) return buf[k][1];
            }
            return s.mem[v];
        },
        cond(s, a, c) {
            const got = c.var !== undefined ? this.read(s, a, find(this.vars, c.var, 'variable'))
                : s.locals[a][c.local];
            return c.eq !== undefined ? got === c.eq : got !== c.ne;
        },
        actions() { return 2 * this.actors.length; },
        enabled(s, i) {
            const n = this.actors.length;
            if (i >= n) return s.buffers[i - n].length > 0;
            const a = i;
            if (!s.started[a] || this.finished(s, a)) return false;
            const step = this.actors[a].steps[s.pc[a]];
            switch (step.op) {
                case 'lock': return s.holder[this.lock(step)] === null;
                case 'wait': return s.sleep[a] === 0 ? true
                    : s.sleep[a] === 1 ? false : s.holder[this.lock(step)] === null;
                case 'send': {
                    const c = this.chan(step), cap = this.channels[c][1];
                    return cap === null || s.chans[c][0].length < cap;
                }
                case 'recv': {
                    const c = this.chan(step);
                    return s.chans[c][0].length > 0 || s.chans[c][1];
                }
                case 'join': return this.finished(s, this.actor(step.actor));
                case 'load': return step.fence ? s.buffers[a].length === 0 : true;
                default: return true;
            }
        },
        run(s0, i) {
            const s = this.clone(s0);
            const n = this.actors.length;
            if (i >= n) {
                const [v, x] = s.buffers[i - n].shift();
                s.mem[v] = x;
                return s;
            }
            const a = i;
            const step = this.actors[a].steps[s.pc[a]];
            let next = step.next !== undefined ? step.next : s.pc[a] + 1;
            switch (step.op) {
                case 'load': s.locals[a][step.local] = this.read(s, a, this.var(step)); break;
                case 'store': {
                    const v = this.var(step), x = this.value(s, a, step);
                    if (step.buffered) s.buffers[a].push([v, x]); else s.mem[v] = x;
                    break;
                }
                case 'add': {
                    const v = this.var(step);
                    if (step.local !== undefined) s.locals[a][step.local] = s.mem[v];
                    s.mem[v] += step.n === undefined ? 1 : step.n;
                    break;
                }
                case 'compute': s.locals[a][step.local] = this.value(s, a, step); break;
                case 'check': if (!this.cond(s, a, step.cond)) next = step.else; break;
                case 'lock': s.holder[this.lock(step)] = a; break;
                case 'unlock': s.holder[this.lock(step)] = null; break;
                case 'wait': {
                    const l = this.lock(step);
                    if (s.sleep[a] === 0) {
                        s.holder[l] = null;
                        s.sleep[a] = 1;
                        next = s.pc[a];
                    } else {
                        s.holder[l] = a;
                        s.sleep[a] = 0;
                    }
                    break;
                }
                case 'notify':
                    for (let b = 0; b < n; b++) {
                        const w = this.actors[b].steps[s.pc[b]];
                        if (s.sleep[b] === 1 && w && w.op === 'wait' && w.cv === step.cv) {
                            s.sleep[b] = 2;
                            if (!step.all) break;
                        }
                    }
                    break;
                case 'send': s.chans[this.chan(step)][0].push(this.value(s, a, step)); break;
                case 'recv': {
                    const c = this.chan(step);
                    if (s.chans[c][0].length === 0) {
                        next = step.eof !== undefined ? step.eof : s.pc[a] + 1;
                    } else {
                        const x = s.chans[c][0].shift();
                        if (step.local !== undefined) s.locals[a][step.local] = x;
                    }
                    break;
                }
                case 'close': s.chans[this.chan(step)][1] = true; break;
                case 'print': s.output.push(step.text); break;
                case 'spawn': s.started[this.actor(step.actor)] = true; break;
                case 'fork':
                    s.started[this.actor(step.actor)] = true;
                    for (const [parent, child] of Object.entries(step.copy || {})) {
                        s.holder[find(this.locks, child, 'lock')] =
                            s.holder[find(this.locks, parent, 'lock')];
                    }
                    break;
                case 'join': break;
                default: throw new Error(`unknown op ${step.op}`);
            }
            s.pc[a] = next;
            return s;
        },
        stuck(s) {
            return this.actors.some((_, a) => s.started[a] && !this.finished(s, a));
        },
        pred(s, p) {
            if (p.all) return p.all.every(q => this.pred(s, q));
            if (p.any) return p.any.some(q => this.pred(s, q));
            if (p.stuck) return this.stuck(s);
            if (p.last_not !== undefined) return s.output[s.output.length - 1] !== p.last_not;
            if (p.local) {
                const got = s.locals[this.actor(p.local[0])][p.local[1]];
                return got === p.eq;
            }
            if (p.var !== undefined) {
                const got = s.mem[find(this.vars, p.var, 'variable')];
                return p.eq !== undefined ? got === p.eq : got !== p.ne;
            }
            throw new Error('unknown failure predicate');
        },
        terminal(s) {
            for (let i = 0; i < this.actions(); i++) if (this.enabled(s, i)) return false;
            return true;
        },
        // [schedules, failing] from state s: every sequence of actions until none is enabled.
        count(s, memo) {
            const key = this.key(s);
            if (memo.has(key)) return memo.get(key);
            let total = [0, 0], any = false;
            for (let i = 0; i < this.actions(); i++) {
                if (!this.enabled(s, i)) continue;
                any = true;
                const [t, f] = this.count(this.run(s, i), memo);
                total = [total[0] + t, total[1] + f];
            }
            if (!any) total = [1, this.pred(s, this.fail) ? 1 : 0];
            memo.set(key, total);
            return total;
        },
    };

    // ---- The widget -------------------------------------------------------------------------

    function el(tag, attrs, ...children) {
        const e = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs || {})) {
            if (k === 'class') e.className = v; else e.setAttribute(k, v);
        }
        for (const c of children) {
            if (c !== null && c !== undefined) e.append(c);
        }
        return e;
    }
    const code = text => el('code', {}, text);

    function setUp(root) {
        const script = root.querySelector('script[type="application/json"]');
        const level = JSON.parse(script.textContent);
        const part = cls => root.querySelector(`:scope > .${cls}`);
        const [intro, win, fixedIntro, fixedWhy] =
            ['intro', 'win', 'fixed-intro', 'fixed-why'].map(part);
        const versions = {};
        for (const v of ['buggy', 'fixed']) {
            const program = new Program(level[v]);
            const [schedules, failing] = program.count(program.start(), new Map());
            versions[v] = { program, schedules, failing };
        }
        const ui = el('div', { class: 'sched-ui', tabindex: '0', role: 'group' });
        root.insertBefore(ui, win);
        let mode = 'buggy', history = [];

        function status(program, s) {
            if (!program.terminal(s)) return { text: T.choose(history.length), done: false };
            const failed = program.pred(s, program.fail);
            const stuck = program.stuck(s);
            if (failed) {
                return { text: (stuck ? T.allBlocked + ' ' : '') + T.won, done: true, failed };
            }
            return { text: mode === 'fixed' ? T.fixedOk : T.finishedOk, done: true, failed };
        }

        function actorState(program, s, a) {
            if (!s.started[a]) return T.notStarted;
            if (program.finished(s, a)) return T.finished;
            if (s.sleep[a] === 1) return T.asleep;
            if (!program.enabled(s, a)) return T.blocked;
            if (s.sleep[a] === 2) return T.woken;
            return null;
        }

        function render() {
            const { program, schedules, failing } = versions[mode];
            const s = history[history.length - 1];
            const st = status(program, s);
            // Redrawn below: where the focus was, it comes back (keyboard use).
            const had = ui.contains(document.activeElement) ? document.activeElement : null;
            const focusKey = had && had !== ui ? (had.dataset.action || had.className) : null;
            root.dataset.mode = mode;
            ui.setAttribute('aria-label', mode === 'buggy' ? T.buggy : T.fixed);
            root.dataset.state = st.done ? (st.failed ? 'failed' : 'finished') : 'playing';
            ui.replaceChildren();
            ui.append(el('div', { class: 'sched-head' },
                el('strong', { class: 'sched-version' }, mode === 'buggy' ? T.buggy : T.fixed),
                el('span', {
                    class: 'sched-count', 'data-schedules': String(schedules),
                    'data-failing': String(failing),
                }, T.count(schedules, failing))));

            const columns = el('div', { class: 'sched-actors' });
            const n = program.actors.length;
            program.actors.forEach((actor, a) => {
                const list = el('ol', { class: 'sched-steps', start: '1' });
                actor.steps.forEach((step, k) => {
                    const here = s.started[a] && s.pc[a] === k;
                    const li = el('li', { class: here ? 'sched-next' : '' },
                        el('span', { class: 'sched-marker', 'aria-hidden': 'true' }, here ? '▶' : ''),
                        code(step.line));
                    if (step.sketch) li.append(el('em', { class: 'sched-sketch' }, ' ' + T.sketch));
                    if (here) li.append(el('span', { class: 'sched-tag' }, ` (${T.next})`));
                    list.append(li);
                });
                const state = actorState(program, s, a);
                const button = el('button', { type: 'button', 'data-action': String(a) },
                    `${T.run(actor.name)} (${a + 1})`);
                button.disabled = !program.enabled(s, a);
                button.addEventListener('click', () => act(a));
                const column = el('div', { class: 'sched-actor' },
                    el('div', { class: 'sched-name' }, code(actor.name),
                        state ? el('span', { class: 'sched-tag' }, ` (${state})`) : null),
                    list, button);
                if (program.buffered && s.started[a]) {
                    const drain = el('button', { type: 'button', 'data-action': String(n + a) },
                        `${T.drain(actor.name)} (Shift+${a + 1})`);
                    drain.disabled = !program.enabled(s, n + a);
                    drain.addEventListener('click', () => act(n + a));
                    column.append(drain);
                }
                columns.append(column);
            });
            ui.append(columns);

            const rows = [];
            const row = (what, ...value) => rows.push(el('tr', {}, el('th', { scope: 'row' }, what),
                el('td', {}, ...value)));
            const list = items => items.length ? items : [T.none];
            const join = parts => parts.flatMap((p, k) => (k ? ['; ', p] : [p]));
            if (program.vars.length) {
                row(program.buffered ? T.memory : T.shared, ...join(program.vars.map((v, k) =>
                    code(`${v} = ${s.mem[k]}`))));
            }
            if (program.buffered) {
                row(T.buffers, ...join(program.actors.map((actor, a) => el('span', {},
                    code(actor.name), ': ', ...(s.buffers[a].length
                        ? join(s.buffers[a].map(([v, x]) => code(`${program.vars[v]} = ${x}`)))
                        : [T.empty])))));
            }
            const locals = program.actors.flatMap((actor, a) => Object.keys(s.locals[a]).sort()
                .map(k => code(`${actor.name}: ${k} = ${s.locals[a][k]}`)));
            if (locals.length || program.actors.some(a => a.steps.some(st => st.local))) {
                row(T.locals, ...join(list(locals)));
            }
            if (program.locks.length) {
                row(T.locks, ...join(program.locks.map((l, k) => el('span', {}, code(l), ': ',
                    s.holder[k] === null ? T.free : T.heldBy(program.actors[s.holder[k]].name)))));
            }
            if (program.condvars.length) {
                row(T.condvars, ...join(program.condvars.map(cv => {
                    const names = program.actors.filter((actor, a) => s.sleep[a] === 1
                        && actor.steps[s.pc[a]].cv === cv).map(actor => actor.name);
                    return el('span', {}, code(cv), ': ',
                        names.length ? T.waiting(names.join(', ')) : T.nobody);
                })));
            }
            if (program.channels.length) {
                row(T.channels, ...join(program.channels.map(([name, cap], c) => {
                    const [items, closed] = s.chans[c];
                    const boxes = cap === null ? '■'.repeat(items.length)
                        : '■'.repeat(items.length) + '□'.repeat(cap - items.length);
                    return el('span', {}, code(name), ': ', el('span', { class: 'sched-boxes',
                        'aria-hidden': 'true' }, boxes), ' ', T.of(items.length, cap),
                        closed ? `, ${T.closed}` : '');
                })));
            }
            if (program.actors.some(a => a.steps.some(st => st.op === 'print'))) {
                row(T.output, el('pre', { class: 'sched-output' },
                    s.output.length ? s.output.join('\n') : T.none));
            }
            ui.append(el('table', { class: 'sched-state' }, el('tbody', {}, ...rows)));

            const undo = el('button', { type: 'button', class: 'sched-undo' }, `${T.undo} (u)`);
            undo.disabled = history.length <= 1;
            undo.addEventListener('click', () => back());
            const restart = el('button', { type: 'button', class: 'sched-restart' },
                `${T.restart} (r)`);
            restart.addEventListener('click', () => reset());
            const other = el('button', { type: 'button', class: 'sched-switch' },
                mode === 'buggy' ? T.tryFixed : T.backBuggy);
            other.addEventListener('click', () => {
                mode = mode === 'buggy' ? 'fixed' : 'buggy';
                reset();
                ui.focus();
            });
            ui.append(el('div', { class: 'sched-controls' }, undo, ' ', restart, ' ', other));
            ui.append(el('p', { class: 'sched-status', role: 'status' },
                st.done ? (st.failed ? '✗ ' : '✓ ') : '', st.text));
            ui.append(el('p', { class: 'sched-keys' }, T.keys(program.buffered)));

            if (had) {
                const same = [...ui.querySelectorAll('button')].find(b => !b.disabled
                    && (b.dataset.action || b.className) === focusKey);
                (same || ui).focus();
            }
            intro.hidden = mode !== 'buggy';
            win.hidden = !(mode === 'buggy' && st.done && st.failed);
            fixedIntro.hidden = mode !== 'fixed';
            fixedWhy.hidden = mode !== 'fixed';
        }

        function act(i) {
            const { program } = versions[mode];
            const s = history[history.length - 1];
            if (!program.enabled(s, i)) return;
            history.push(program.run(s, i));
            render();
        }
        function back() {
            if (history.length > 1) history.pop();
            render();
        }
        function reset() {
            history = [versions[mode].program.start()];
            render();
        }
        ui.addEventListener('keydown', event => {
            if (event.ctrlKey || event.altKey || event.metaKey) return;
            const n = versions[mode].program.actors.length;
            const digit = /^Digit([1-9])$/.exec(event.code);
            let handled = true;
            if (digit && Number(digit[1]) <= n) {
                act(Number(digit[1]) - 1 + (event.shiftKey ? n : 0));
            } else if (event.key === 'u') {
                back();
            } else if (event.key === 'r') {
                reset();
            } else {
                handled = false;
            }
            if (handled) {
                event.preventDefault();
                event.stopPropagation();
            }
        });
        reset();
    }

    function setUpAll() {
        for (const root of document.querySelectorAll('.scheduler[data-level]')) {
            try {
                setUp(root);
            } catch (error) {
                root.dataset.state = 'error';
                console.error(`scheduler level ${root.dataset.level}: ${error}`);
            }
        }
    }
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', setUpAll);
    } else {
        setUpAll();
    }
})();
