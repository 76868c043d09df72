using ChaosLab.Core.Scenarios;

namespace ChaosLab.Web.Model.Studio;

/// <summary>
/// Which form field shows which error: an error goes to the field whose path it is at or
/// inside (the deepest such field); errors no field shows are <see cref="Unplaced"/>, for the
/// summary, so none is lost.
/// </summary>
public sealed class ScenarioErrorPlacement
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public ScenarioErrorPlacement(IReadOnlyList<ScenarioError> errors, IEnumerable<string> fieldPointers)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(fieldPointers);
        var fields = fieldPointers.Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length).ToList();
        var unplaced = new List<ScenarioError>();
        foreach (var error in errors)
        {
            var field = fields.FirstOrDefault(f => JsonPointer.IsAtOrInside(error.Path, f));
            if (field is null)
            {
                unplaced.Add(error);
                continue;
            }

            if (!_byField.TryGetValue(field, out var messages))
            {
                _byField[field] = messages = [];
            }

            messages.Add(error.Message);
        }

        Unplaced = unplaced;
    }

    public static ScenarioErrorPlacement None { get; } = new([], []);

    /// <summary>The errors no field shows, in their original order.</summary>
    public IReadOnlyList<ScenarioError> Unplaced { get; }

    /// <summary>The messages the field at <paramref name="path"/> shows (empty when it has none).</summary>
    public IReadOnlyList<string> For(string path) => _byField.TryGetValue(path, out var messages) ? messages : [];
}
