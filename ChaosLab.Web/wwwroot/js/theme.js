// Follows the system's light or dark preference with Bootstrap's colour modes. Loaded as a
// classic script in <head> so the first paint already has the right theme.
(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => document.documentElement.setAttribute('data-bs-theme', query.matches ? 'dark' : 'light');
    apply();
    query.addEventListener('change', apply);
})();
