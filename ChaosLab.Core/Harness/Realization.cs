using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Harness;

/// <summary>What becomes of a model reply before the environment sees it.</summary>
public abstract record Realization
{
    private Realization()
    {
    }

    /// <summary>Send this action (repaired by h2 if <see cref="HarnessIntervention"/>s say so).</summary>
    /// <param name="CallId">The tool call it answers, for the tool message that carries the result.</param>
    public sealed record Execute(AgentAction Action, string? CallId) : Realization;

    /// <summary>Do not spend a step: tell the model this instead (h2 could not repair it, or h4 forbids repeating it).</summary>
    public sealed record Block(string MessageToModel, string? CallId) : Realization;

    /// <summary>The reply holds no action at all (and no layer found one in its text).</summary>
    public sealed record NoAction(string MessageToModel) : Realization;
}

/// <summary>What the harness adds after an environment step.</summary>
/// <param name="Notes">Appended to the tool result the model reads next (merged into the result, never a separate message,
/// because some chat APIs require a tool call to be followed directly by its result).</param>
/// <param name="ForceSubmit">The next turn may only submit (h4: the step budget is spent).</param>
public sealed record Regulation(IReadOnlyList<string> Notes, bool ForceSubmit)
{
    public static Regulation Nothing { get; } = new([], false);
}
