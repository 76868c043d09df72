using System.Text.Json.Nodes;
using ChaosLab.Web.Model.Results;
using static ChaosLab.Tests.Web.Model.Results.StepResultFixtures;

namespace ChaosLab.Tests.Web.Model.Results;

public sealed class MessageFlowTests
{
    [Fact]
    public void Read_Trace_InitiatorThenDeclaredAgentsThenOtherParticipantsInOrderOfAppearance()
    {
        var flow = MessageFlow.Read(JsonNode.Parse(FailingTrace), truthful: true)!;

        // The orchestrator sends the first message: it starts the diagram; the guard appears later and ends it.
        Assert.Equal(["orchestrator", "planner-1", "writer-1", "reviewer-1", "guard"], flow.Lanes.Select(l => l.Id));
        Assert.Equal([null, "planner", "writer", "reviewer", null], flow.Lanes.Select(l => l.Role));
        Assert.Equal([false, true, true, true, false], flow.Lanes.Select(l => l.Declared));
        Assert.Equal(("trial-1#3", false, "writer-1 failed: input unreadable"), (flow.RunId, flow.Passed, flow.Failure));
    }

    [Fact]
    public void Read_FirstSenderDeclared_LanesInDeclaredOrder()
    {
        var flow = MessageFlow.Read(JsonNode.Parse("""
            {"agents": [{"id": "a", "role": "planner"}, {"id": "b", "role": "writer"}],
             "messages": [{"from": "b", "to": "a"}, {"from": "hub", "to": "b"}]}
            """), truthful: true)!;

        Assert.Equal(["a", "b", "hub"], flow.Lanes.Select(l => l.Id));
    }

    [Fact]
    public void Read_Messages_InSequenceOrderWithTheirLanesAndDirection()
    {
        var flow = MessageFlow.Read(JsonNode.Parse(FailingTrace), truthful: true)!;

        Assert.Equal([1, 2, 3, 4, 5], flow.Messages.Select(m => m.Seq));
        var task = flow.Messages[0];
        Assert.Equal((0, 1, FlowDirection.Right, 0, 1, 2), (task.FromLane, task.ToLane, task.Direction, task.FirstLane, task.LastLane, task.Span));
        var plan = flow.Messages[1];
        Assert.Equal((FlowDirection.Right, 2, 1240, "yaml", "error", true), (plan.Direction, plan.Span, plan.AtMs, plan.Format, plan.Status, plan.Failed));
        Assert.Equal((FlowDirection.Self, 1), (flow.Messages[2].Direction, flow.Messages[2].Span));
        var guard = flow.Messages[3];
        Assert.Equal((4, 2, FlowDirection.Left, 3, "blocked", true), (guard.FromLane, guard.ToLane, guard.Direction, guard.Span, guard.Status, guard.Failed));
        Assert.False(flow.Messages[4].Failed);
    }

    [Fact]
    public void Read_Clean_KeepsFaultLabels()
    {
        var flow = MessageFlow.Read(JsonNode.Parse(FailingTrace), truthful: true)!;

        Assert.True(flow.Truthful);
        Assert.Equal("format_mismatch", flow.Messages[1].Fault);
        Assert.Equal(["format_mismatch"], flow.FaultKinds);
    }

    [Fact]
    public void Read_NotTruthful_NeverShowsAFaultEvenIfTheTraceNamesOne()
    {
        var flow = MessageFlow.Read(JsonNode.Parse(FailingTrace), truthful: false)!;

        Assert.False(flow.Truthful);
        Assert.All(flow.Messages, m => Assert.Null(m.Fault));
        Assert.Empty(flow.FaultKinds);
        // What the operator may see stays: the run failed, and why.
        Assert.Equal((false, "writer-1 failed: input unreadable"), (flow.Passed, flow.Failure));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"a trace\"")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"agents": [{"id": "a"}], "messages": {"seq": 1}}""")]
    [InlineData("""{"agents": [{"id": "a"}], "messages": []}""")]
    [InlineData("""{"messages": [1, "x", {"from": "a"}, {"from": "a", "to": 3}, {"from": "", "to": "b"}]}""")]
    public void Read_NotATraceOrNoReadableMessage_Null(string json) =>
        Assert.Null(MessageFlow.Read(JsonNode.Parse(json), truthful: true));

    [Fact]
    public void Read_MalformedFields_MessageKeptWithDefaultsOrSkippedAndCounted()
    {
        const string Json = """
            {"run_id": 17, "passed": "no", "failure": 3, "agents": [{"id": "a", "role": 5}, {"role": "writer"}, "b", {"id": "a", "role": "dup"}],
             "messages": [
               {"from": "a", "to": "b", "seq": "x", "at_ms": -1.5, "type": 4, "body": {"k": [1, 2]}, "status": "ERROR", "fault": 9},
               {"from": "b"},
               7,
               {"from": "b", "to": "a"}
             ]}
            """;

        var flow = MessageFlow.Read(JsonNode.Parse(Json), truthful: true)!;

        Assert.Equal(("17", (bool?)null, (string?)null), (flow.RunId, flow.Passed, flow.Failure));
        Assert.Equal([("a", (string?)null, true), ("b", null, false)], flow.Lanes.Select(l => (l.Id, l.Role, l.Declared)));
        Assert.Equal(2, flow.Skipped);
        var first = flow.Messages[0];
        // A missing or non-numeric seq takes the message's position.
        Assert.Equal((0, (int?)null, "message", """{"k":[1,2]}""", "error", (string?)null), (first.Seq, first.AtMs, first.Type, first.Body, first.Status, first.Fault));
        Assert.Equal((3, "", "ok"), (flow.Messages[1].Seq, flow.Messages[1].Body, flow.Messages[1].Status));
    }

    [Fact]
    public void Read_MoreThanTheCap_DrawsTheFirstAndCountsTheRest()
    {
        var flow = MessageFlow.Read(JsonNode.Parse(LongTrace(MessageFlow.MaxMessages + 25)), truthful: true)!;

        Assert.Equal(MessageFlow.MaxMessages, flow.Messages.Count);
        Assert.Equal(25, flow.NotDrawn);
        Assert.Equal(MessageFlow.MaxMessages, flow.Messages[^1].Seq);
    }

    [Theory]
    [InlineData("short body", "short body")]
    [InlineData("  first line  \nsecond line", "first line …")]
    [InlineData("", "")]
    public void Summary_FirstLineOfTheBody(string body, string expected) =>
        Assert.Equal(expected, Message(body).Summary);

    [Fact]
    public void Summary_LongLine_CutToTheLimit()
    {
        var summary = Message(new string('x', 500)).Summary;

        Assert.Equal(FlowMessage.SummaryLength + 1, summary.Length);
        Assert.EndsWith(" …", summary, StringComparison.Ordinal);
    }

    private static FlowMessage Message(string body) => new(1, 0, "a", "b", "note", "text", body, "ok", null, 0, 1);
}
