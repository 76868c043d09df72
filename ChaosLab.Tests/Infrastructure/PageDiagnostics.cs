using Microsoft.Playwright;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>Console errors, uncaught exceptions and failed requests seen by a page.</summary>
public sealed class PageDiagnostics
{
    private readonly List<string> _problems = [];

    public PageDiagnostics(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Add($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => Add($"page error: {error}");
        page.RequestFailed += (_, request) => Add($"request failed: {request.Method} {request.Url} ({request.Failure})");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Add($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
    }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    public void AssertClean() => Assert.True(Problems.Count == 0, "The page reported problems:\n" + string.Join('\n', Problems));

    private void Add(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
