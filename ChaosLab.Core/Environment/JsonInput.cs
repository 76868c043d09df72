using System.Text.Json;

namespace ChaosLab.Core.Environment;

/// <summary>
/// Checks what a parser lets through but the engine cannot use: a key given twice in one object
/// (which one counts would be a guess, and a mutable JSON tree refuses it later), and strings or
/// names that are not valid Unicode (a lone surrogate escape such as <c>"\ud800"</c> parses, then
/// fails when read as text). Checked before a step is spent, so such input is refused cleanly.
/// </summary>
public static class JsonInput
{
    /// <returns>The first problem found, located by its JSON path, or null.</returns>
    public static ValidationError? Check(JsonElement element) => Check(element, "");

    private static ValidationError? Check(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryRead(() => property.Name, out var name))
                    {
                        return new ValidationError(path, "a property name is not valid Unicode (lone surrogate)");
                    }

                    var child = path.Length == 0 ? name : path + "." + name;
                    if (!names.Add(name))
                    {
                        return new ValidationError(child, $"the key '{name}' appears more than once in one object");
                    }

                    if (Check(property.Value, child) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Check(item, $"{path}[{index++}]") is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.String:
                return TryRead(element.GetString, out _) ? null : new ValidationError(path, "the string is not valid Unicode (lone surrogate)");
            default:
                return null;
        }
    }

    private static bool TryRead(Func<string?> read, out string value)
    {
        try
        {
            value = read() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }
}
