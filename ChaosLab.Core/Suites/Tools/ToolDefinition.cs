using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>The JSON types a parameter accepts.</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are JSON Schema's type names.")]
public enum JsonTypes
{
    None = 0,
    String = 1,
    Number = 2,
    Integer = 4,
    Boolean = 8,
    Object = 16,
    Array = 32,
    Any = String | Number | Boolean | Object | Array,
}

/// <param name="MaxLength">For strings: the longest accepted value; for objects and arrays: the longest JSON text.</param>
public sealed record ToolParameter(
    string Name,
    JsonTypes Types,
    string Description,
    bool Required = true,
    int MaxLength = 2_000,
    IReadOnlyList<string>? Enum = null,
    double? Minimum = null,
    double? Maximum = null);

/// <summary>One tool as agents see it: name, category, description and JSON-Schema parameters.</summary>
public sealed class ToolDefinition
{
    public ToolDefinition(string name, string category, string description, IReadOnlyList<ToolParameter> parameters)
    {
        Name = name;
        Category = category;
        Description = description;
        Parameters = parameters;
        ParameterSchema = BuildSchema(parameters);
    }

    public string Name { get; }

    /// <summary>retrieval, computation, storage, validation or action.</summary>
    public string Category { get; }

    public string Description { get; }

    public IReadOnlyList<ToolParameter> Parameters { get; }

    /// <summary>The parameters as a JSON Schema object carrying every rule a call is checked against but the JSON-text cap of object and array values (built once; clone before handing out).</summary>
    public JsonObject ParameterSchema { get; }

    private static JsonObject BuildSchema(IReadOnlyList<ToolParameter> parameters)
    {
        var properties = new JsonObject();
        foreach (var p in parameters)
        {
            var schema = new JsonObject();
            var types = TypeNames(p.Types);
            schema["type"] = types.Count == 1 ? types[0] : new JsonArray([.. types.Select(t => (JsonNode)t)]);
            schema["description"] = p.Description;
            if (p.Types.HasFlag(JsonTypes.String))
            {
                schema["maxLength"] = p.MaxLength;
            }

            if (p.Enum is { } values)
            {
                schema["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
            }

            if (p.Minimum is { } min)
            {
                schema["minimum"] = min;
            }

            if (p.Maximum is { } max)
            {
                schema["maximum"] = max;
            }

            properties[p.Name] = schema;
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray([.. parameters.Where(p => p.Required).Select(p => (JsonNode)p.Name)]),
            ["additionalProperties"] = false,
        };
    }

    private static List<string> TypeNames(JsonTypes types)
    {
        var names = new List<string>();
        if (types.HasFlag(JsonTypes.String))
        {
            names.Add("string");
        }

        if (types.HasFlag(JsonTypes.Number))
        {
            names.Add("number");
        }
        else if (types.HasFlag(JsonTypes.Integer))
        {
            names.Add("integer");
        }

        if (types.HasFlag(JsonTypes.Boolean))
        {
            names.Add("boolean");
        }

        if (types.HasFlag(JsonTypes.Object))
        {
            names.Add("object");
        }

        if (types.HasFlag(JsonTypes.Array))
        {
            names.Add("array");
        }

        return names;
    }
}
