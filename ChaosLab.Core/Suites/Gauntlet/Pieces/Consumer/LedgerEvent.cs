using System.Globalization;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>One event of an account's true log: the generator's ground truth.</summary>
/// <param name="Amount">In cents; whole numbers keep every balance exact.</param>
internal sealed record LedgerEvent(string Id, string Key, int Seq, long Amount)
{
    public JsonObject ToJson() => new() { ["id"] = Id, ["key"] = Key, ["seq"] = Seq, ["amount"] = Amount };

    /// <summary>"ev-3f9a21c0 (acct-104 seq 12)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id} ({Key} seq {Seq})");
}

/// <summary>
/// One delivery as the consumer receives it: a valid copy of an event, or a malformed one
/// (<see cref="Malformed"/> says what is wrong; <see cref="Event"/> is set when it is a corrupted copy of a real event).
/// </summary>
internal sealed record Delivery(JsonNode? Json, LedgerEvent? Event, string? Malformed)
{
    public bool IsValid => Malformed is null;

    public static Delivery Of(LedgerEvent e) => new(e.ToJson(), e, null);
}
