namespace ChaosLab.Core.Harness;

/// <summary>One thing a harness layer did, recorded with the episode and shown as the replay's harness lane.</summary>
/// <param name="Step">The environment step it belongs to: the step an action led to, or for a block (which spends
/// no step) and for a note injected before a reply, the step the next action will make.</param>
/// <param name="Layer">"h2".."h5".</param>
/// <param name="Trigger">What set it off, e.g. "tool name off by case", "same failing call 3 times", "2 steps left".</param>
/// <param name="Change">What it changed, e.g. "Search_Docs -> search_docs", "blocked; told the model: ...".</param>
public sealed record HarnessIntervention(int Step, string Layer, string Trigger, string Change);
