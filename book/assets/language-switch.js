'use strict';

/* global path_to_root */

// The language switch: a link in every page's menu bar to the same page in the other edition.
// `book/build` puts the English edition at the root of the site and the Chinese one under
// `zh-CN/`, with the same page paths. mdBook gives every page `path_to_root`: "" at the top,
// "../" per directory level below it. The page's own path is therefore the last (levels + 1)
// parts of the URL's path, which holds whatever base path the site is served from, and from
// file:// too. 404.html, shown for any missing URL, is the exception: it has a <base href> (the
// `site-url`, "/" or "/zh-CN/"), so its links are relative to that, and it links to the other
// edition's 404.html.
(function languageSwitch() {
    const buttons = document.querySelector('#mdbook-menu-bar .right-buttons')
        || document.querySelector('.right-buttons');
    if (!buttons) {
        return;
    }
    const root = typeof path_to_root === 'string' ? path_to_root : '';
    const levels = root.split('../').length - 1;
    const parts = window.location.pathname.split('/');
    const page = parts.slice(Math.max(parts.length - (levels + 1), 0)).join('/');
    // A directory URL ("…/" or "…/threads/") is its index.html.
    let file = page === '' || page.endsWith('/') ? page + 'index.html' : page;
    if (document.querySelector('head > base[href]')) {
        file = '404.html';
    }

    const chinese = document.documentElement.lang === 'zh-CN';
    const link = document.createElement('a');
    link.id = 'language-switch';
    link.className = 'language-switch';
    if (chinese) {
        // zh-CN/<page> -> <page>: one level up from the Chinese edition's root.
        link.href = root + '../' + file;
        link.hreflang = 'en';
        link.lang = 'en';
        link.textContent = 'English';
        link.title = 'Read this page in English';
    } else {
        link.href = root + 'zh-CN/' + file;
        link.hreflang = 'zh-CN';
        link.lang = 'zh-CN';
        link.textContent = '中文';
        link.title = '阅读本页的中文版';
    }
    link.setAttribute('aria-label', link.title);
    buttons.insertBefore(link, buttons.firstChild);
})();
