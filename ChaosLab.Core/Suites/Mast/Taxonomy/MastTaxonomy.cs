namespace ChaosLab.Core.Suites.Mast.Taxonomy;

/// <summary>The three categories of the MAST taxonomy; their wire names are <see cref="MastTaxonomy.CategoryName"/>.</summary>
public enum MastCategory
{
    Specification,
    InterAgent,
    Verification,
}

/// <summary>
/// One failure mode of the MAST taxonomy (Cemri et al., "Why Do Multi-Agent LLM Systems Fail?"),
/// as the published list agents diagnose from.
/// </summary>
/// <param name="Code">The paper's code, e.g. <c>FM-1.3</c>: what a diagnosis names.</param>
/// <param name="Simulated">Whether some scenario of the suite injects it; the others are listed so a
/// diagnosis has to choose among all fourteen.</param>
public sealed record MastMode(string Code, string Name, MastCategory Category, string Description, bool Simulated);

/// <summary>The published list of failure modes, in the paper's order.</summary>
public static class MastTaxonomy
{
    public static IReadOnlyList<MastMode> All { get; } =
    [
        new("FM-1.1", "Disobey task specification", MastCategory.Specification,
            "An agent does not follow a constraint or requirement of the task it was given.", true),
        new("FM-1.2", "Disobey role specification", MastCategory.Specification,
            "An agent acts outside its role: it does another agent's work, or work no role asked for.", true),
        new("FM-1.3", "Step repetition", MastCategory.Specification,
            "An agent repeats a step it already completed, spending turns without progress.", true),
        new("FM-1.4", "Loss of conversation history", MastCategory.Specification,
            "An agent loses earlier context (an instruction, a fact) and acts as if it had never been said.", true),
        new("FM-1.5", "Unaware of termination conditions", MastCategory.Specification,
            "An agent does not know when its work is done and keeps going.", true),
        new("FM-2.1", "Conversation reset", MastCategory.InterAgent,
            "A conversation restarts unexpectedly, losing the progress made in it.", false),
        new("FM-2.2", "Fail to ask for clarification", MastCategory.InterAgent,
            "An agent proceeds on an ambiguous instruction instead of asking.", false),
        new("FM-2.3", "Task derailment", MastCategory.InterAgent,
            "The agents drift away from the task's objective.", false),
        new("FM-2.4", "Information withholding", MastCategory.InterAgent,
            "An agent holds information another agent needs and does not pass it on.", false),
        new("FM-2.5", "Ignored other agent's input", MastCategory.InterAgent,
            "An agent does not take in what another agent sent it (it disregards it, or cannot read it).", true),
        new("FM-2.6", "Reasoning-action mismatch", MastCategory.InterAgent,
            "What an agent does differs from what its own reasoning says it will do.", true),
        new("FM-3.1", "Premature termination", MastCategory.Verification,
            "The work is declared finished before what it needs has happened (e.g. before it was verified).", true),
        new("FM-3.2", "No or incomplete verification", MastCategory.Verification,
            "Verification is skipped or covers only part of the output, so defects pass.", true),
        new("FM-3.3", "Incorrect verification", MastCategory.Verification,
            "Verification runs but checks the wrong thing, so it approves defective output.", true),
    ];

    /// <summary>The wire names of the categories (task ids of the suite are the same words).</summary>
    public static string CategoryName(MastCategory category) => category switch
    {
        MastCategory.Specification => "specification",
        MastCategory.InterAgent => "inter_agent",
        MastCategory.Verification => "verification",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };

    /// <summary>The mode with this code (case-insensitive, <c>FM-1.3</c> or <c>fm1.3</c>), or null.</summary>
    public static MastMode? Find(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var normalized = code.Trim().ToUpperInvariant().Replace("FM", "", StringComparison.Ordinal).TrimStart('-', ' ', '_');
        return All.FirstOrDefault(m => m.Code[3..] == normalized);
    }
}
