// Draws ChartFigure objects (computed in C#) with plotly.js. Colours come from Bootstrap's CSS
// variables so charts follow the light or dark theme.

const kinds = {
    line: { type: 'scatter', mode: 'lines' },
    area: { type: 'scatter', mode: 'lines', fill: 'tozeroy' },
    bar: { type: 'bar' },
    scatter: { type: 'scatter', mode: 'markers' },
};

function themeColor(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
}

function toPlotly(figure) {
    const data = figure.traces.map(t => {
        const kind = String(t.kind).toLowerCase();
        if (kind === 'box' && t.boxes) {
            // Statistics come precomputed from C#; plotly only draws them.
            return {
                type: 'box',
                name: t.name,
                x: t.x,
                q1: t.boxes.map(b => b.q1),
                median: t.boxes.map(b => b.median),
                q3: t.boxes.map(b => b.q3),
                lowerfence: t.boxes.map(b => b.lowerFence),
                upperfence: t.boxes.map(b => b.upperFence),
                mean: t.boxes.map(b => b.mean),
                boxmean: true,
            };
        }
        const trace = {
            name: t.name,
            x: t.x,
            y: t.y,
            ...kinds[kind] ?? kinds.line,
        };
        if (kind !== 'bar') {
            trace.line = { width: 2 };
        }
        if (t.errorY) {
            trace.error_y = { type: 'data', array: t.errorY, visible: true };
        }
        if (t.text) {
            // Hover only: text drawn on bars would crowd them.
            trace.hovertext = t.text;
        }
        return trace;
    });
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
        xaxis: { ...axis(figure.layout.xAxisTitle), type: figure.layout.xAxisIsTime ? 'date' : (figure.layout.xAxisIsCategory ? 'category' : undefined) },
        yaxis: { ...axis(figure.layout.yAxisTitle), rangemode: 'tozero' },
        legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
    };
    if (layout.showlegend) {
        layout.margin = { ...layout.margin, t: 32 };
    }
    if (figure.layout.barMode) {
        layout.barmode = figure.layout.barMode;
    }
    if (figure.layout.yAxisMax !== null && figure.layout.yAxisMax !== undefined) {
        layout.yaxis.range = [0, figure.layout.yAxisMax];
    }
    if (figure.traces.some(t => String(t.kind).toLowerCase() === 'box')) {
        layout.showlegend = false;
    }
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
