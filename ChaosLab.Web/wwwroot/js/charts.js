// Draws ChartFigure objects (computed in C#) with plotly.js. Colours come from Bootstrap's CSS
// variables so charts follow the light or dark theme.

const kinds = {
    line: { type: 'scatter', mode: 'lines' },
    area: { type: 'scatter', mode: 'lines', fill: 'tozeroy' },
    bar: { type: 'bar' },
    markers: { type: 'scatter', mode: 'markers' },
};

function themeColor(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
}

function toPlotly(figure) {
    const data = figure.traces.map(t => ({
        name: t.name,
        x: t.x,
        y: t.y,
        ...kinds[String(t.kind).toLowerCase()] ?? kinds.line,
        line: { width: 2 },
        // Markers flag events (e.g. a fault fired), so they take the theme's danger colour.
        ...(String(t.kind).toLowerCase() === 'markers'
            ? { marker: { size: 12, symbol: 'x', color: themeColor('--bs-danger', '#dc3545') } }
            : {}),
    }));
    const text = themeColor('--bs-body-color', '#212529');
    const grid = themeColor('--bs-border-color', '#dee2e6');
    const axis = title => ({
        title: title ? { text: title } : undefined,
        gridcolor: grid,
        zerolinecolor: grid,
        color: text,
        automargin: true,
    });
    const layout = {
        margin: { l: 48, r: 12, t: 8, b: 36 },
        paper_bgcolor: 'rgba(0,0,0,0)',
        plot_bgcolor: 'rgba(0,0,0,0)',
        font: { color: text, family: themeColor('--bs-body-font-family', 'sans-serif') },
        showlegend: figure.traces.length > 1,
        xaxis: { ...axis(figure.layout.xAxisTitle), type: figure.layout.xAxisIsTime ? 'date' : undefined },
        yaxis: { ...axis(figure.layout.yAxisTitle), rangemode: 'tozero' },
    };
    return { data, layout };
}

const config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['lasso2d', 'select2d'] };

export function draw(element, figure) {
    const { data, layout } = toPlotly(figure);
    // react() creates the plot on first use and diffs on later calls.
    return Plotly.react(element, data, layout, config);
}

export function dispose(element) {
    Plotly.purge(element);
}
