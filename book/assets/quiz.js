'use strict';

// The quizzes: turns every `.quiz .question` of a page into a question the reader answers.
//
// Why a script and Markdown rather than mdbook-quiz's TOML files: a quiz is written in the
// page's Markdown, which gettext already translates, so both editions come from one source and
// book/i18n-check enforces that every question, choice and explanation is translated; the
// answer keys are HTML attributes, which gettext never touches, so both editions have the same
// answers by construction; the interface strings below come in the page's language; and there
// is nothing more to install.
//
// The markup (book/src/concepts.md ends with a quiz; tests/tests/quizzes.rs checks every one):
//
//   <div class="quiz" data-quiz="NAME">
//     <div class="question" data-id="NAME-N" data-answer="2">   (or "1,3": choose every one
//       <p>the question</p>                                       that applies: checkboxes)
//       <ol><li>a choice</li>…</ol>
//       <details class="explanation"><summary>Answer</summary> why, with a link </details>
//     </div> …
//   </div>
//
// Without JavaScript the page still reads: the choices are a numbered list and the answer is
// a closed "Answer" block. With it, each choice gets a radio button or a checkbox with its
// label, a "Check" button shows right or wrong in words (and colour) and opens the
// explanation, "Try again" resets the question. What the reader answered is kept in this
// browser's localStorage under the question's data-id (`quiz:NAME-N`), and nowhere else: no
// request leaves the page, and it works from file:// too. Each quiz shows "N of M right" and a
// button that resets it. Both editions share the store, as they share the questions' ids.
(function quizzes() {
    const chinese = document.documentElement.lang === 'zh-CN';
    const TEXT = chinese ? {
        one: '选择一个答案。',
        many: '选择所有正确的答案（可能不止一个）。',
        check: '检查',
        again: '再试一次',
        reset: '重置本测验',
        pick: '请先选择一个答案。',
        right: '✓ 正确。',
        wrong: answer => `✗ 不对。正确答案是 ${answer}。`,
        score: (right, total, answered) => `${total} 题中答对 ${right} 题（已答 ${answered} 题）`,
        rightChoice: '（正确答案）',
        and: '、',
    } : {
        one: 'Choose one answer.',
        many: 'Choose every answer that applies (there may be more than one).',
        check: 'Check',
        again: 'Try again',
        reset: 'Reset this quiz',
        pick: 'Choose an answer first.',
        right: '✓ Right.',
        wrong: answer => `✗ Not quite. The answer is ${answer}.`,
        score: (right, total, answered) => `${right} of ${total} right (${answered} answered)`,
        rightChoice: ' (right answer)',
        and: ', ',
    };

    // localStorage may be missing or refused (a privacy setting): the quiz then works
    // without remembering anything.
    const store = {
        get(id) {
            try {
                return JSON.parse(window.localStorage.getItem(`quiz:${id}`));
            } catch {
                return null;
            }
        },
        set(id, value) {
            try {
                window.localStorage.setItem(`quiz:${id}`, JSON.stringify(value));
            } catch {
                // Not kept: nothing else to do.
            }
        },
        remove(id) {
            try {
                window.localStorage.removeItem(`quiz:${id}`);
            } catch {
                // Nothing was kept.
            }
        },
    };

    function button(text, className) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = className;
        b.textContent = text;
        return b;
    }

    // Sets up one question; returns its state, or null when its markup is not a question.
    function setUp(question, onChange) {
        const id = question.dataset.id;
        const list = question.querySelector(':scope > ol');
        const answer = (question.dataset.answer || '').split(',')
            .map(n => Number(n.trim())).filter(n => n > 0).sort((a, b) => a - b);
        if (!id || !list || answer.length === 0) {
            return null;
        }
        const many = answer.length > 1;
        const choices = Array.from(list.children).filter(li => li.tagName === 'LI');
        // The number a reader sees for choice i: the list may start at another number.
        const first = Number(list.getAttribute('start') || 1);
        const shown = answer.map(n => String(n + first - 1)).join(TEXT.and);

        const kind = document.createElement('p');
        kind.className = 'quiz-kind';
        kind.id = `quiz-${id}-kind`;
        kind.textContent = many ? TEXT.many : TEXT.one;
        list.parentNode.insertBefore(kind, list);
        list.setAttribute('role', many ? 'group' : 'radiogroup');
        list.setAttribute('aria-labelledby', kind.id);

        const inputs = choices.map((li, i) => {
            const input = document.createElement('input');
            input.type = many ? 'checkbox' : 'radio';
            input.name = `quiz-${id}`;
            input.id = `quiz-${id}-${i + 1}`;
            input.value = String(i + 1);
            const label = document.createElement('label');
            label.htmlFor = input.id;
            while (li.firstChild) {
                label.appendChild(li.firstChild);
            }
            li.appendChild(input);
            li.appendChild(label);
            li.classList.add('quiz-choice');
            return input;
        });

        const controls = document.createElement('div');
        controls.className = 'quiz-controls';
        const check = button(TEXT.check, 'quiz-check');
        const again = button(TEXT.again, 'quiz-again');
        again.hidden = true;
        const feedback = document.createElement('p');
        feedback.className = 'quiz-feedback';
        feedback.setAttribute('role', 'status');
        feedback.setAttribute('aria-live', 'polite');
        controls.append(check, again, feedback);
        list.parentNode.insertBefore(controls, list.nextSibling);
        const explanation = question.querySelector(':scope > details.explanation');

        const state = { id, right: false, answered: false };
        function show(chosen) {
            const right = chosen.length === answer.length && chosen.every((n, i) => n === answer[i]);
            state.answered = true;
            state.right = right;
            inputs.forEach((input, i) => {
                input.checked = chosen.includes(i + 1);
                input.disabled = true;
                const li = choices[i];
                li.classList.toggle('quiz-right-choice', answer.includes(i + 1));
                li.classList.toggle('quiz-wrong-choice', input.checked && !answer.includes(i + 1));
                if (answer.includes(i + 1)) {
                    const mark = document.createElement('span');
                    mark.className = 'quiz-mark';
                    mark.textContent = TEXT.rightChoice;
                    li.querySelector('label').appendChild(mark);
                }
            });
            feedback.textContent = right ? TEXT.right : TEXT.wrong(shown);
            feedback.className = `quiz-feedback ${right ? 'quiz-right' : 'quiz-wrong'}`;
            question.classList.toggle('quiz-answered-right', right);
            question.classList.toggle('quiz-answered-wrong', !right);
            check.hidden = true;
            again.hidden = false;
            if (explanation) {
                explanation.open = true;
            }
        }
        function reset() {
            state.answered = false;
            state.right = false;
            inputs.forEach(input => {
                input.checked = false;
                input.disabled = false;
            });
            choices.forEach(li => li.classList.remove('quiz-right-choice', 'quiz-wrong-choice'));
            question.querySelectorAll('.quiz-mark').forEach(mark => mark.remove());
            question.classList.remove('quiz-answered-right', 'quiz-answered-wrong');
            feedback.textContent = '';
            feedback.className = 'quiz-feedback';
            check.hidden = false;
            again.hidden = true;
            if (explanation) {
                explanation.open = false;
            }
        }
        check.addEventListener('click', () => {
            const chosen = inputs.filter(input => input.checked).map(input => Number(input.value));
            if (chosen.length === 0) {
                feedback.textContent = TEXT.pick;
                feedback.className = 'quiz-feedback';
                return;
            }
            show(chosen);
            store.set(id, { answered: true, right: state.right, chosen });
            onChange();
            again.focus();
        });
        again.addEventListener('click', () => {
            reset();
            store.remove(id);
            onChange();
            inputs[0].focus();
        });

        const kept = store.get(id);
        if (kept && Array.isArray(kept.chosen)
            && kept.chosen.every(n => Number.isInteger(n) && n >= 1 && n <= inputs.length)
            && kept.chosen.length > 0) {
            show(kept.chosen.slice().sort((a, b) => a - b));
        }
        state.reset = () => {
            reset();
            store.remove(id);
        };
        question.classList.add('quiz-ready');
        return state;
    }

    for (const quiz of document.querySelectorAll('.quiz')) {
        const bar = document.createElement('div');
        bar.className = 'quiz-progress';
        const score = document.createElement('p');
        score.className = 'quiz-score';
        score.setAttribute('aria-live', 'polite');
        const resetAll = button(TEXT.reset, 'quiz-reset');
        bar.append(score, resetAll);

        const states = [];
        const update = () => {
            const right = states.filter(s => s.answered && s.right).length;
            const answered = states.filter(s => s.answered).length;
            score.textContent = TEXT.score(right, states.length, answered);
        };
        for (const question of quiz.querySelectorAll('.question')) {
            const state = setUp(question, update);
            if (state) {
                states.push(state);
            }
        }
        resetAll.addEventListener('click', () => {
            states.forEach(s => s.reset());
            update();
        });
        update();
        quiz.insertBefore(bar, quiz.firstChild);
        quiz.classList.add('quiz-ready');
    }
})();
