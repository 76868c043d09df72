// Runs in <head> before the first paint: marks <html> with the scheme of the visitor's stored
// choice (or the system's preference). data-theme selects MudBlazor's palette by CSS alone (see
// MainLayout), so even the prerendered page is in the right scheme. js/theme.js keeps it in step later.
(() => {
    let stored = null;
    try {
        stored = localStorage.getItem('chaoslab-theme');
    } catch {
        // Storage blocked (a sandboxed frame): follow the system.
    }
    const dark = stored === 'dark' || (stored !== 'light' && window.matchMedia('(prefers-color-scheme: dark)').matches);
    const root = document.documentElement;
    const scheme = dark ? 'dark' : 'light';
    root.setAttribute('data-theme', scheme);
    root.style.colorScheme = scheme;
})();
