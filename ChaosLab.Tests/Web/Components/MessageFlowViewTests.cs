using System.Text.Json.Nodes;
using Bunit;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Model.Results;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static ChaosLab.Tests.Web.Model.Results.StepResultFixtures;

namespace ChaosLab.Tests.Web.Components;

/// <summary>The sequence diagram of a <c>message_trace</c>, drawn from hand-written traces with the mast suite's fault kinds served.</summary>
public sealed class MessageFlowViewTests : DashboardTestContext
{
    public MessageFlowViewTests() =>
        Services.AddSingleton(new SuiteCatalog([new ToolsSuite(), new KindsOnlySuite(MastFaultKinds.All)]));

    [Fact]
    public void Render_Trace_OneLanePerParticipantWithIdAndRole()
    {
        var view = RenderFlow(FailingTrace, truthful: true);

        var lanes = view.FindAll("[data-testid=flow-lane]");
        Assert.Equal(["orchestrator", "planner-1", "writer-1", "reviewer-1", "guard"], lanes.Select(l => l.GetAttribute("data-lane")));
        Assert.Equal("planner", lanes[1].QuerySelector(".flow-lane-role")!.TextContent);
        Assert.Equal(("false", "not an agent"), (lanes[0].GetAttribute("data-declared"), lanes[0].QuerySelector(".flow-lane-role")!.TextContent));
        Assert.Equal("--flow-lanes: 5", view.Find(".flow-scroll").GetAttribute("style"));
    }

    [Fact]
    public void Render_Trace_OneArrowPerMessageInOrderBetweenItsLanes()
    {
        var view = RenderFlow(FailingTrace, truthful: true);

        var messages = view.FindAll("[data-testid=flow-message]");
        Assert.Equal(["1", "2", "3", "4", "5"], messages.Select(m => m.GetAttribute("data-seq")));
        Assert.Equal(["task", "plan", "draft", "guard", "review"], messages.Select(m => m.QuerySelector("[data-testid=flow-type]")!.TextContent));
        Assert.Equal(["right", "right", "self", "left", "left"], messages.Select(m => m.GetAttribute("data-direction")));
        // guard (lane 4) to writer-1 (lane 2): the arrow covers lanes 2-4, grid columns 4-6 (column 1 is the time).
        Assert.Contains("grid-column: 4 / span 3;", messages[3].QuerySelector(".flow-arrow")!.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("--flow-span: 3;", messages[3].QuerySelector(".flow-arrow")!.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal("1240", messages[1].QuerySelector(".flow-at")!.TextContent);
        Assert.Equal("yaml", messages[1].QuerySelector(".flow-format")!.TextContent);
        // The body: its first line on hover, all of it when the row opens.
        Assert.Equal("topic: tides …", messages[1].QuerySelector("summary")!.GetAttribute("title"));
        Assert.Equal("topic: tides\nitems:\n  - one\n  - two", messages[1].QuerySelector("[data-testid=flow-body] pre")!.TextContent);
        Assert.Contains("message 2 at 1,240 ms: planner-1 to writer-1, plan, error", messages[1].QuerySelector(".sr-only")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ErrorAndBlockedMessages_MarkedOthersNot()
    {
        var view = RenderFlow(FailingTrace, truthful: true);

        var messages = view.FindAll("[data-testid=flow-message]");
        Assert.Equal(["ok", "error", "ok", "blocked", "ok"], messages.Select(m => m.GetAttribute("data-status")));
        Assert.Contains("flow-status-error", messages[1].ClassList);
        Assert.Contains("flow-status-blocked", messages[3].ClassList);
        Assert.Equal("error", messages[1].QuerySelector("[data-testid=flow-status-mark]")!.TextContent.Trim());
        Assert.Contains("mud-chip-color-error", messages[1].QuerySelector("[data-testid=flow-status-mark]")!.ClassList);
        Assert.Contains("mud-chip-color-warning", messages[3].QuerySelector("[data-testid=flow-status-mark]")!.ClassList);
        Assert.Equal(2, view.FindAll("[data-testid=flow-status-mark]").Count);
        Assert.Contains("5 messages, 5 participants, 2 not delivered", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CleanTrace_FaultBadgeAtTheMessageWhereItBrokeNamingTheMastCode()
    {
        var view = RenderFlow(FailingTrace, truthful: true);

        var badge = Assert.Single(view.FindAll("[data-testid=fault-badge]"));
        Assert.Equal(("format_mismatch", "coordination"), (badge.GetAttribute("data-kind"), badge.GetAttribute("data-family")));
        Assert.Single(view.FindAll("[data-testid=flow-message][data-seq='2'] [data-testid=fault-badge]"));
        Assert.Contains("flow-faulted", view.Find("[data-testid=flow-message][data-seq='2']").ClassList);
        Assert.StartsWith("FM-2.5:", view.FindComponent<FaultBadge>().FindComponent<MudTooltip>().Instance.Text, StringComparison.Ordinal);
        Assert.Empty(view.FindAll("[data-testid=flow-operator-view]"));
    }

    [Fact]
    public void Render_OperatorView_NoFaultBadgeButTheRunsOutcome()
    {
        var view = RenderFlow(FailingTrace, truthful: false);

        Assert.Empty(view.FindAll("[data-testid=fault-badge]"));
        Assert.Empty(view.FindAll(".flow-faulted"));
        Assert.NotNull(view.Find("[data-testid=flow-operator-view]"));
        Assert.Equal(("failed", "false"), (view.Find("[data-testid=flow-outcome]").TextContent.Trim(), view.Find("[data-testid=flow-outcome]").GetAttribute("data-passed")));
        Assert.Equal("writer-1 failed: input unreadable", view.Find("[data-testid=flow-failure]").TextContent.Trim());
    }

    [Fact]
    public void Render_PassedRunWithoutFailure_GreenOutcomeNoAlert()
    {
        var view = RenderFlow("""{"passed": true, "messages": [{"seq": 1, "from": "a", "to": "b", "type": "final"}]}""", truthful: true);

        Assert.Contains("mud-chip-color-success", view.Find("[data-testid=flow-outcome]").ClassList);
        Assert.Empty(view.FindAll("[data-testid=flow-failure]"));
        Assert.Equal("Message flow", view.Find("h3").TextContent);
        Assert.Empty(view.FindAll("[data-testid=flow-left-out]"));
    }

    [Fact]
    public void Render_FortyFiveMessages_AllDrawnInsideOneScrollingBox()
    {
        var view = RenderFlow(LongTrace(45), truthful: true);

        Assert.Equal(45, view.FindAll("[data-testid=flow-message]").Count);
        Assert.Single(view.FindAll(".flow-scroll"));
        Assert.Equal("step_repetition", view.Find("[data-testid=flow-message][data-seq='22']").GetAttribute("data-fault"));
        Assert.Equal("error", view.Find("[data-testid=flow-message][data-seq='44']").GetAttribute("data-status"));
    }

    [Fact]
    public void Render_SkippedAndCappedMessages_SaidBelowTheDiagram()
    {
        var trace = JsonNode.Parse(LongTrace(MessageFlow.MaxMessages + 3))!.AsObject();
        trace["messages"]!.AsArray().Add(JsonValue.Create("not a message"));

        var view = Render<MessageFlowView>(p => p.Add(v => v.Flow, MessageFlow.Read(trace, truthful: true)!));

        Assert.Equal(MessageFlow.MaxMessages, view.FindAll("[data-testid=flow-message]").Count);
        Assert.Equal(
            $"3 later messages are not drawn (the first {MessageFlow.MaxMessages} are); 1 unreadable message was left out (no sender or receiver). The whole trace is in the result JSON.",
            view.Find("[data-testid=flow-left-out]").TextContent);
    }

    [Fact]
    public void Render_UnknownStatusAndFaultKind_DrawnNeutrallyWithoutACrash()
    {
        var view = RenderFlow("""{"messages": [{"from": "a", "to": "b", "status": "lost", "fault": "kind_of_a_retired_suite", "body": ""}]}""", truthful: true);

        var message = view.Find("[data-testid=flow-message]");
        Assert.Contains("flow-status-other", message.ClassList);
        Assert.Equal("unknown", message.QuerySelector("[data-testid=fault-badge]")!.GetAttribute("data-family"));
        Assert.Equal("(empty body)", message.QuerySelector("pre")!.TextContent);
    }

    private IRenderedComponent<MessageFlowView> RenderFlow(string trace, bool truthful) =>
        Render<MessageFlowView>(p => p.Add(v => v.Flow, MessageFlow.Read(JsonNode.Parse(trace), truthful)!));
}
