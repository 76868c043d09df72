using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Scenarios;

namespace ChaosLab.Core.Suites.Gauntlet.Agents;

/// <summary>
/// The gauntlet's scripted agents. The reference agents submit the pieces' served baselines,
/// none of them correct, so they rank from nothing hardened to tier 1 only; the exploits are the
/// cheats the seed's grader paid for (keywords, echoes, empty outputs with perfect-looking
/// telemetry, escaping the sandbox, hanging), each generic over the graded function.
/// </summary>
public static class GauntletAgents
{
    public const string OriginalCode = "original-code";
    public const string QuickPatch = "quick-patch";
    public const string Tier1Fix = "tier1-fix";

    /// <summary>Every exploit's name starts with it, so none can be mistaken for a reference agent.</summary>
    public const string ExploitPrefix = "exploit-";

    public static IReadOnlyList<ReferenceAgent> References(GauntletScenarioCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return
        [
            new(OriginalCode, () => new ScriptedGauntletAgent(OriginalCode, catalog, GauntletTools.ReadSource, p => p.OriginalSource, runExamples: false)),
            new(QuickPatch, () => new ScriptedGauntletAgent(QuickPatch, catalog, GauntletTools.ReadSource, p => p.Baselines.NaivePatch, runExamples: true)),
            new(Tier1Fix, () => new ScriptedGauntletAgent(Tier1Fix, catalog, GauntletTools.ReadRequirements, p => p.Baselines.PartialFix, runExamples: true)),
        ];
    }

    public static IReadOnlyList<ReferenceAgent> Exploits(GauntletScenarioCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return
        [
            Exploit("keywords", catalog, (piece, _) => piece.Baselines.KeywordStuffed),
            Exploit("echo", catalog, (_, entry) => ExploitCode.Echo(entry)),
            Exploit("empty", catalog, (_, entry) => ExploitCode.Empty(entry)),
            Exploit("escape", catalog, (_, entry) => ExploitCode.Escape(entry)),
            Exploit("hang", catalog, (_, entry) => ExploitCode.Hang(entry)),
        ];
    }

    internal static JsonObject Call(string tool, JsonObject? arguments = null) => new()
    {
        ["type"] = "call_tool",
        ["tool_name"] = tool,
        ["arguments"] = arguments ?? [],
    };

    internal static IFragilePiece PieceOf(GauntletScenarioCatalog catalog, JsonObject observation) =>
        catalog.Piece(observation["task_id"]?.GetValue<string>() ?? string.Empty)
            ?? throw new InvalidOperationException("The observation names no task of this suite's pieces.");

    private static ReferenceAgent Exploit(string name, GauntletScenarioCatalog catalog, Func<IFragilePiece, string, string> code) =>
        new(ExploitPrefix + name, () => new OneShotExploit(ExploitPrefix + name, catalog, code));
}

/// <summary>
/// Reads one tool, optionally grades its code on the public examples once, then submits that
/// code: a fixed script keyed by the observation's step, so a reset starts it over.
/// </summary>
public sealed class ScriptedGauntletAgent(string name, GauntletScenarioCatalog catalog, string readTool, Func<IFragilePiece, string> code, bool runExamples) : IAgent
{
    public string Name => name;

    public JsonObject NextAction(JsonObject observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var piece = GauntletAgents.PieceOf(catalog, observation);
        var step = observation["step"]?.GetValue<int>() ?? 0;
        return step switch
        {
            0 => GauntletAgents.Call(readTool),
            1 when runExamples => GauntletAgents.Call(GauntletTools.RunExamples, new JsonObject { ["code"] = code(piece) }),
            _ => GauntletAgents.Call(GauntletTools.SubmitCode, new JsonObject { ["code"] = code(piece) }),
        };
    }
}

/// <summary>Submits its code at once, written for the graded function the reset observation names.</summary>
public sealed class OneShotExploit(string name, GauntletScenarioCatalog catalog, Func<IFragilePiece, string, string> code) : IAgent
{
    public string Name => name;

    public JsonObject NextAction(JsonObject observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var piece = GauntletAgents.PieceOf(catalog, observation);
        var entry = observation["entry_point"]?.GetValue<string>() ?? piece.EntryPoint;
        return GauntletAgents.Call(GauntletTools.SubmitCode, new JsonObject { ["code"] = code(piece, entry) });
    }
}
