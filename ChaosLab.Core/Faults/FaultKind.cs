namespace ChaosLab.Core.Faults;

/// <summary>How a fault shows itself to the agent; the dashboard groups and colours kinds by it.</summary>
public enum FaultFamily
{
    /// <summary>The call fails or is slow: an error, a 429, a delay.</summary>
    Transport,

    /// <summary>The values are wrong or old.</summary>
    Data,

    /// <summary>The shape is off: a field missing, renamed, a body cut short.</summary>
    Shape,

    /// <summary>Content aimed at the agent itself.</summary>
    Adversarial,

    /// <summary>Agents of a pipeline fail each other: a role ignored, a message misread, a check skipped (MAST modes).</summary>
    Coordination,
}

/// <summary>
/// A kind of fault, as data: its name (what records and scenario files say), its family, what
/// it does in words (shown in the replay), and how its parameters are drawn. Suites register the
/// kinds they inject (<see cref="Environment.ISuite.FaultKinds"/>); the transport kinds any suite
/// can use are in <see cref="TransportFaults"/>. One instance per kind: kinds compare by reference.
/// </summary>
public sealed class FaultKind(string name, FaultFamily family, string description, Action<Environment.DeterministicRandom, IDictionary<string, string>>? drawParameters = null)
{
    /// <summary>The snake_case name used in records and scenario files.</summary>
    public string Name { get; } = name;

    public FaultFamily Family { get; } = family;

    public string Description { get; } = description;

    public bool IsTransport => Family == FaultFamily.Transport;

    /// <summary>Kind-specific parameters (e.g. <c>retry_after_steps</c>) from the decision's own stream.</summary>
    public void DrawParameters(Environment.DeterministicRandom random, IDictionary<string, string> parameters) => drawParameters?.Invoke(random, parameters);

    public override string ToString() => Name;
}
