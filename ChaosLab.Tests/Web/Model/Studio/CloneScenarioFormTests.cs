using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Web.Components.Studio;
using ChaosLab.Web.Model.Studio;

namespace ChaosLab.Tests.Web.Model.Studio;

public sealed class CloneScenarioFormTests
{
    [Fact]
    public void SuggestedId_CopyTaken_NumbersTheNextFreeOne()
    {
        Assert.Equal("W05-copy", CloneScenarioForm.SuggestedId("W05", ["W05"]));
        Assert.Equal("W05-copy-3", CloneScenarioForm.SuggestedId("W05", ["W05", "w05-COPY", "W05-copy-2"]));
    }

    [Fact]
    public async Task SubmitAsync_BlankId_AsksForOneWithoutCallingTheStudio()
    {
        var studio = new FakeScenarioStudio();
        var form = new CloneScenarioForm { SourceId = "W05", NewId = "  " };

        Assert.Null(await form.SubmitAsync(studio));

        Assert.Equal("Give the new scenario an id.", form.Failure);
        Assert.Empty(studio.Clones);
    }

    [Fact]
    public async Task SubmitAsync_Success_TrimsTheInputAndClearsTheLastFailure()
    {
        var studio = new FakeScenarioStudio();
        studio.Rows.Add(FakeScenarioStudio.Row("W05", ScenarioStatus.BuiltIn));
        var form = new CloneScenarioForm { SourceId = "W05", NewId = "W05" };
        await form.SubmitAsync(studio);
        Assert.NotNull(form.Failure);

        form.NewId = " mine ";
        form.Author = " ";
        var draft = await form.SubmitAsync(studio);

        Assert.Equal("mine", draft?.Id);
        Assert.Null(form.Failure);
        Assert.Equal(("W05", "mine", null), studio.Clones[^1]);
    }

    [Theory]
    [InlineData(StudioFailureKind.Conflict, "That id is taken: nope")]
    [InlineData(StudioFailureKind.NotFound, "Not found: nope")]
    [InlineData(StudioFailureKind.ReadOnly, "Read-only: nope")]
    [InlineData(StudioFailureKind.Invalid, "Not a valid scenario: nope")]
    public void Describe_EachKind_LeadsWithWhatWentWrong(StudioFailureKind kind, string expected) =>
        Assert.Equal(expected, CloneScenarioForm.Describe(new StudioFailure(kind, "nope", [new ScenarioError("/id", "bad")])));
}
