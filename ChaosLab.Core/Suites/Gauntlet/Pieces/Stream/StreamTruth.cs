using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>What the generator made an event to be: the ground truth the checks hold code to.</summary>
public enum StreamLabel
{
    /// <summary>An ordinary reading: must reach the output (tier 1).</summary>
    Valid,

    /// <summary>A reading of a sensor's sustained second level: must reach the output (tier 2).</summary>
    Minority,

    /// <summary>A reading of a flat (stuck) sensor: must reach the output, its stats' std is 0 (tier 2).</summary>
    Flat,

    /// <summary>An isolated spike far from its sensor's level: must not reach the output (tier 2).</summary>
    Spike,

    /// <summary>Not a usable reading (a value that is not a finite real number, a bad field, not a dict): dropped (tier 1).</summary>
    Invalid,

    /// <summary>A reading whose timestamp is far ahead of the clock: dropped (tier 1).</summary>
    Future,

    /// <summary>A reading older than what earlier calls emitted: dropped (tier 1).</summary>
    Late,
}

/// <summary>One event of a batch with its ground truth.</summary>
/// <param name="Event">The event as sent (a Python value in <see cref="PyValue"/>'s form).</param>
/// <param name="Sensor">The sensor field when it is a string, else null.</param>
/// <param name="Ts">The timestamp when it is a finite number, else null.</param>
/// <param name="Value">The value when it is a real number (NaN included), else null.</param>
/// <param name="Defect">What is wrong with it, in words ("NaN", "the string 'ERR'"), or what it is ("reading").</param>
public sealed record StreamEvent(JsonNode? Event, StreamLabel Label, string? Sensor, double? Ts, double? Value, string Defect)
{
    /// <summary>Whether correct code emits it.</summary>
    public bool Accepted => Label is StreamLabel.Valid or StreamLabel.Minority or StreamLabel.Flat;

    /// <summary>The drop reason correct code counts it under (telemetry's <c>dropped</c>), or null when accepted.</summary>
    public string? DropReason => Label switch
    {
        StreamLabel.Invalid => "invalid",
        StreamLabel.Future => "future",
        StreamLabel.Late => "late",
        StreamLabel.Spike => "spike",
        _ => null,
    };
}

/// <summary>One call of a case: the batch as delivered, in delivery order.</summary>
public sealed record StreamCallTruth(int Index, IReadOnlyList<StreamEvent> Events)
{
    public JsonArray Payload() => new([.. Events.Select(e => e.Event?.DeepClone())]);

    /// <summary>The readings correct code emits, in timestamp order.</summary>
    public IReadOnlyList<StreamEvent> Accepted() => [.. Events.Where(e => e.Accepted).OrderBy(e => e.Ts!.Value)];

    public int Dropped(string reason) => Events.Count(e => e.DropReason == reason);
}

/// <summary>A simulated sensor: its level and noise (readings stay within 2.5 sigma of the level).</summary>
public sealed record StreamSensor(string Name, string Quantity, double Center, double Sigma, bool WholeNumbers);

/// <summary>A generated case: its calls with their truth, its sensors, its injected faults.</summary>
/// <param name="FlatSensor">The stuck sensor, when the case has one.</param>
/// <param name="Case">What the harness runs: the payloads, the clock, what publish answers attempt by attempt.</param>
public sealed record StreamCaseTruth(
    string Id,
    IReadOnlyList<StreamCallTruth> Calls,
    IReadOnlyList<StreamSensor> Sensors,
    string? FlatSensor,
    IReadOnlyList<FaultDecision> Faults,
    string Summary,
    HarnessCase Case);
