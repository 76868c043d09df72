namespace ChaosLab.Core.Harness;

/// <summary>What a layer tells the model after a step, with the intervention it is recorded as.</summary>
/// <param name="Trigger">Short, for the intervention: "same failing call 2 times".</param>
/// <param name="Change">Short, for the intervention: "note: change the call".</param>
/// <param name="Text">For the model, appended to the tool result it reads next.</param>
public sealed record HarnessNote(string Trigger, string Change, string Text);
