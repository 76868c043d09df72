// Keyboard support for the replay timeline. Blazor sees the keys through @onkeydown; this
// module only stops the browser from also scrolling the page on them, and keeps the selected
// step in view.

const keys = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']);

function onKeyDown(event) {
    if (keys.has(event.key) && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
    }
}

export function attach(element) {
    element?.addEventListener('keydown', onKeyDown);
}

export function detach(element) {
    element?.removeEventListener('keydown', onKeyDown);
}

// Scrolls only the timeline itself (scrollIntoView would also move the page, which jumps away
// from the inspector while playing).
export function reveal(element) {
    const selected = element?.querySelector('[aria-selected="true"]');
    if (!selected) {
        return;
    }

    const box = element.getBoundingClientRect();
    const item = selected.getBoundingClientRect();
    if (item.top < box.top) {
        element.scrollTop -= box.top - item.top;
    } else if (item.bottom > box.bottom) {
        element.scrollTop += item.bottom - box.bottom;
    }
}
