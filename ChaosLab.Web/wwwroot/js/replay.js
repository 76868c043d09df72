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

export function reveal(element) {
    const selected = element?.querySelector('[aria-selected="true"]');
    selected?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}
