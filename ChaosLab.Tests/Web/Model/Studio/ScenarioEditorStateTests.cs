using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Web.Model.Studio;

namespace ChaosLab.Tests.Web.Model.Studio;

public sealed class ScenarioEditorStateTests
{
    private static readonly ToolsScenarioFormat Format = new();

    [Fact]
    public void Load_CopiesTheDocument_CallerObjectNeverChanged()
    {
        var document = Document();
        var state = State(document);

        state.Set("/title", JsonValue.Create("Changed"));

        Assert.NotEqual("Changed", document["title"]!.GetValue<string>());
        Assert.Contains("\"title\": \"Changed\"", state.Text);
    }

    [Fact]
    public void Set_BlankOptionalField_LeavesPropertyOut()
    {
        var state = State(Document());
        state.Set("/notes", JsonValue.Create("for reviewers"));

        state.Set("/notes", JsonValue.Create(""));

        Assert.False(state.Document.ContainsKey("notes"));
    }

    [Fact]
    public void Set_BlankRequiredField_KeptSoTheSchemaNamesIt()
    {
        var state = State(Document());

        state.Set("/title", JsonValue.Create(""));

        Assert.Equal("", state.Document["title"]!.GetValue<string>());
    }

    [Fact]
    public void Set_MissingParents_Created()
    {
        var state = State(Document());

        state.Set("/faults/extra/deep", JsonValue.Create(1));

        Assert.Equal(1, state.Document["faults"]!["extra"]!["deep"]!.GetValue<int>());
    }

    [Fact]
    public void RemoveRow_LastRowOfOptionalList_RemovesTheList()
    {
        var state = State(Document());
        state.AddRow("/answer", new JsonObject { ["slot"] = "population" });

        state.RemoveRow("/answer", 0);

        Assert.False(state.Document.ContainsKey("answer"));
    }

    [Fact]
    public void RemoveRow_LastRowOfRequiredList_KeepsEmptyList()
    {
        var state = State(Document());
        var badPaths = state.Document["faults"]!["bad_paths"]!.AsArray().Count;

        for (var i = 0; i < badPaths; i++)
        {
            state.RemoveRow("/faults/bad_paths", 0);
        }

        Assert.Empty(state.Document["faults"]!["bad_paths"]!.AsArray());
    }

    [Fact]
    public void RenameEntry_KeepsPositionAndRefusesTakenName()
    {
        var state = State(Document());
        state.AddEntry("/world/targets", "other_country");

        Assert.True(state.RenameEntry("/world/targets", "country", "capital"));
        Assert.False(state.RenameEntry("/world/targets", "capital", "other_country"));
        Assert.Equal(["capital", "other_country"], state.Document["world"]!["targets"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void ApplyText_NotJson_KeepsDocumentAndTextAndSaysLineAndColumn()
    {
        var state = State(Document());
        var before = state.Document.ToJsonString();

        Assert.False(state.ApplyText("{\n  \"title\": tru\n}"));

        Assert.StartsWith("The JSON does not parse (line 2, column", state.ParseError);
        Assert.Equal("{\n  \"title\": tru\n}", state.Text);
        Assert.Equal(before, state.Document.ToJsonString());
    }

    [Fact]
    public void ApplyText_NotAnObject_Refused()
    {
        var state = State(Document());

        Assert.False(state.ApplyText("[1, 2]"));

        Assert.Contains("a scenario is a JSON object", state.ParseError);
    }

    [Fact]
    public void ApplyText_Object_BecomesDocumentAndClearsError()
    {
        var state = State(Document());
        state.ApplyText("{");

        Assert.True(state.ApplyText("{\"title\": \"t\"}"));

        Assert.Null(state.ParseError);
        Assert.Equal("t", state.Document["title"]!.GetValue<string>());
    }

    [Fact]
    public void FormValue_WholeNumberList_KeepsWhatIsNotANumberForTheSchemaToName()
    {
        var list = FormValue.ParseList("1, 2, x", FieldKind.WholeNumberList)!;

        Assert.Equal("[1,2,\"x\"]", list.ToJsonString());
        Assert.Equal("1, 2, x", FormValue.ListText(list));
        Assert.Null(FormValue.ParseList(" , ", FieldKind.TextList));
    }

    [Fact]
    public void Schema_ChoicesAndRequired_ReadAtDocumentPaths()
    {
        var schema = new ScenarioSchema(Format.Schema);

        Assert.Contains("task2", schema.Choices("/task"));
        Assert.Contains("knowledge_base_lookup", schema.Choices("/faults/bad_paths/3/tool"));
        Assert.DoesNotContain(schema.Choices("/faults/outdated_source"), c => c is null);
        Assert.True(schema.AllowsNull("/faults/outdated_source"));
        Assert.Empty(schema.Choices("/world/data/events/0/kind"));
        Assert.True(schema.IsRequired("/title"));
        Assert.True(schema.IsRequired("/world/data/countries/0/name"));
        Assert.False(schema.IsRequired("/world/targets"));
    }

    [Fact]
    public void FieldPointers_FixedWorld_IncludeEveryTableCell()
    {
        var document = Document();

        var fields = ScenarioForm.FieldPointers(document).ToHashSet();

        Assert.Contains("/world/data/countries/1/previous_gdp_usd_billions", fields);
        Assert.Contains("/world/targets/country", fields);
        Assert.DoesNotContain("/world/data/countries/2/name", fields);
    }

    private static ScenarioEditorState State(JsonObject document)
    {
        var state = new ScenarioEditorState { Schema = new ScenarioSchema(Format.Schema) };
        state.Load(document);
        return state;
    }

    private static JsonObject Document() =>
        JsonObject.Create(Format.BuiltIn.Single(d => d.Id == "F01").Content)!.DeepClone().AsObject();
}
