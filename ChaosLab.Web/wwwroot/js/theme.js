// The app bar's theme toggle (MainLayout): remembers the choice in this browser and marks <html>
// with the scheme in effect, for MudBlazor's scoped palettes. js/theme-boot.js reads the same
// values on load.
const storageKey = 'chaoslab-theme';

export function storedMode() {
    try {
        return localStorage.getItem(storageKey);
    } catch {
        return null;
    }
}

export function applyTheme(mode, dark) {
    try {
        if (mode === 'system') {
            localStorage.removeItem(storageKey);
        } else {
            localStorage.setItem(storageKey, mode);
        }
    } catch {
        // Storage blocked (a sandboxed frame): the choice lasts for this page only.
    }
    const root = document.documentElement;
    const scheme = dark ? 'dark' : 'light';
    root.setAttribute('data-theme', scheme);
    root.style.colorScheme = scheme;
}
