using System.Text.Json.Nodes;
using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Model.Results;

namespace ChaosLab.Tests.Web.Components;

public sealed class SandboxRunViewTests : DashboardTestContext
{
    [Fact]
    public void Render_FailedRun_OutcomeChipExitCodeAndBothStreams()
    {
        var view = RenderRun(Model.Results.StepResultFixtures.SandboxRunJson);

        Assert.Contains("Sandbox run · grading", view.Find("h3").TextContent, StringComparison.Ordinal);
        var chip = view.Find("[data-testid=sandbox-outcome]");
        Assert.Equal(("failed", "error"), (chip.TextContent.Trim(), chip.GetAttribute("data-tone")));
        Assert.Contains("mud-chip-color-error", chip.ClassName, StringComparison.Ordinal);
        Assert.Equal("exit code 1", view.Find("[data-testid=sandbox-exit-code]").TextContent.Trim());
        Assert.Equal("batch 1: 12 readings\nbatch 2: 0 readings\n", view.Find("[data-testid=sandbox-stdout] pre.console-output").TextContent);
        Assert.EndsWith("ZeroDivisionError: float division by zero\n", view.Find("[data-testid=sandbox-stderr] pre.console-output").TextContent, StringComparison.Ordinal);
        Assert.Empty(view.FindAll("[data-testid=sandbox-truncated]"));
    }

    [Fact]
    public void Render_QuietCompletedRun_EmptyPanesSayNoOutput()
    {
        var view = RenderRun("""{"label": "run_python", "outcome": "completed", "exit_code": 0, "stdout": "", "stderr": ""}""");

        Assert.Equal("success", view.Find("[data-testid=sandbox-outcome]").GetAttribute("data-tone"));
        Assert.Contains("mud-chip-color-success", view.Find("[data-testid=sandbox-outcome]").ClassName, StringComparison.Ordinal);
        foreach (var stream in new[] { "stdout", "stderr" })
        {
            var pane = view.Find($"[data-testid=sandbox-{stream}]");
            Assert.Equal("true", pane.GetAttribute("data-empty"));
            Assert.Equal("no output", pane.QuerySelector(".console-empty")!.TextContent);
            Assert.Null(pane.QuerySelector("pre"));
        }
    }

    [Fact]
    public void Render_CutOffByTheLimit_TruncationNoticeAndNoExitCode()
    {
        var view = RenderRun("""{"outcome": "output_limit_exceeded", "exit_code": null, "stdout": "xxxx\n[... 9000 more bytes not shown]", "stderr": "", "truncated": true}""");

        Assert.Equal("output limit exceeded", view.Find("[data-testid=sandbox-outcome]").TextContent.Trim());
        Assert.NotNull(view.Find("[data-testid=sandbox-truncated]"));
        Assert.Empty(view.FindAll("[data-testid=sandbox-exit-code]"));
        Assert.Equal("Sandbox run", view.Find("h3").TextContent.Trim());
    }

    [Fact]
    public void Render_Refused_WarningTone()
    {
        var view = RenderRun("""{"outcome": "refused", "stderr": "[sandbox] no sandbox is available"}""");

        Assert.Contains("mud-chip-color-warning", view.Find("[data-testid=sandbox-outcome]").ClassName, StringComparison.Ordinal);
    }

    private IRenderedComponent<SandboxRunView> RenderRun(string json) =>
        RenderPage<SandboxRunView>(p => p.Add(v => v.Run, SandboxRun.Read(JsonNode.Parse(json))!));
}
