using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Suites.Gauntlet;

/// <summary>
/// The gauntlet's tools: read the code as deployed and its requirements, run Python in the
/// sandbox, grade code on the public examples, submit code. Every call is a step; none is
/// faulted (the adversity is in the inputs the code is graded on).
/// </summary>
public static class GauntletTools
{
    public const string ReadSource = "read_source";
    public const string ReadRequirements = "read_requirements";
    public const string RunPython = "run_python";
    public const string RunExamples = "run_examples";
    public const string SubmitCode = "submit_code";

    /// <summary>The longest code a tool takes, in UTF-8 bytes; longer code is refused as a spent step.</summary>
    public const int MaxCodeBytes = 64 * 1024;

    public static IReadOnlyList<ToolDescriptor> All { get; } =
    [
        new(ReadSource, "The piece's code as deployed, the function graded and the runtime API it may call (dependencies, now(), sleep()).", "inspection", Object()),
        new(ReadRequirements, "The requirements the rewrite is graded on, tier by tier, as observable behaviour with every constant and output field.", "inspection", Object()),
        new(RunPython, "Runs Python 3.11 in the sandbox (no network, standard library only; math and statistics are imported) and returns its stdout, stderr, outcome and exit code.", "sandbox",
            Object(("code", Code("The Python program to run.")))),
        new(RunExamples, "Grades code on the public examples (a few cases drawn apart from the hidden grading set) with the same grader as a submission: per tier the checks, messages and the inputs that broke them, and the score on the examples.", "sandbox",
            Object(("code", Code("The complete rewrite of the piece (it must define the graded function).")))),
        new(SubmitCode, "Submits code; ends the episode. It is graded on hidden cases drawn from the episode's seed at this moment, in the sandbox.", "action",
            Object(("code", Code("The complete rewrite of the piece (it must define the graded function).")))),
    ];

    public static ToolCatalog Catalog { get; } = new(All);

    public static JsonArray ToJson() => new([.. All.Select(t => (JsonNode)new JsonObject
    {
        ["name"] = t.Name,
        ["category"] = t.Category,
        ["description"] = t.Description,
        ["parameters"] = t.InputSchema.DeepClone(),
    })]);

    // The schema caps characters; the session caps bytes (MaxCodeBytes), with its own message.
    private static JsonObject Code(string description) => new()
    {
        ["type"] = "string",
        ["minLength"] = 1,
        ["description"] = description + " At most 64 KB.",
    };

    private static JsonObject Object(params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }

        var json = new JsonObject { ["type"] = "object", ["properties"] = props, ["additionalProperties"] = false };
        if (properties.Length > 0)
        {
            json["required"] = new JsonArray([.. properties.Select(p => (JsonNode)p.Name)]);
        }

        return json;
    }
}
