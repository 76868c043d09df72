using System.Globalization;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry.Checks;

/// <summary>What one check found on a case: the first failure in full, and how many more there were.</summary>
internal sealed class Findings(int tier, string check)
{
    private string? _first;
    private JsonNode? _evidence;
    private int _count;

    public void Add(string message, JsonNode? evidence)
    {
        if (_count++ == 0)
        {
            _first = message;
            _evidence = evidence;
        }
    }

    public CheckResult Result() => _count == 0
        ? CheckResult.Pass(tier, check)
        : CheckResult.Fail(tier, check, string.Create(CultureInfo.InvariantCulture, $"tier {tier}: {_first}") + (_count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (and {_count - 1} more)") : string.Empty), _evidence);
}
