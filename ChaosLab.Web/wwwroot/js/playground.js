// After a step the playground's result may render below the forms (one column on a phone):
// bring it into view then, and leave the page alone when it is already visible (wide screens).
export function revealIfOffScreen(element) {
    if (!element) {
        return;
    }

    const box = element.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight - 48) {
        const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
        element.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'start' });
    }
}
