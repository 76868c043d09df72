using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Harness;

/// <summary>
/// h2, action realization: reads the call a reply stands for (its first tool call, or one written
/// in its text), repairs what can be read unambiguously (the tool's name, the arguments' JSON,
/// their keys and scalar types) and checks the result with the environment's own validator, so
/// a call that would be refused is caught before it spends a step.
/// </summary>
public sealed class ActionRealizer
{
    private readonly IReadOnlyList<ToolDescriptor> _tools;
    private readonly ToolCatalog _catalog;
    private readonly ToolNameResolver _names;

    /// <param name="modelTools">The tools as offered to the model (a submit tool included).</param>
    public ActionRealizer(IReadOnlyList<ToolDescriptor> modelTools, SuiteHarnessData data)
    {
        ArgumentNullException.ThrowIfNull(modelTools);
        ArgumentNullException.ThrowIfNull(data);
        _tools = modelTools;
        _catalog = new ToolCatalog(modelTools);
        _names = new ToolNameResolver([.. modelTools.Select(t => t.Name)], data.Aliases);
    }

    /// <summary>What <paramref name="reply"/> holds: a valid call (maybe repaired), an invalid one, or none.</summary>
    public CallReading Read(ModelReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var repairs = new List<HarnessRepair>();
        string written;
        ReadArguments arguments;
        ProposedCall asWritten;
        if (reply.ToolCalls.Count > 0)
        {
            var call = reply.ToolCalls[0];
            written = call.Name;
            arguments = ArgumentRepair.Read(call.ArgumentsText);
            asWritten = new ProposedCall(call.Name, ProposedCall.StrictArguments(call.ArgumentsText), call.Id);
        }
        else
        {
            // Only a rescued call that names a tool: JSON in prose is often the answer itself, not a call.
            var rescued = ProseCallReader.Read(reply.Text).FirstOrDefault(c => _names.Resolve(c.Name) is not null);
            if (rescued is null)
            {
                return new CallReading.NoCall();
            }

            written = rescued.Name;
            arguments = new ReadArguments(rescued.Arguments.DeepClone().AsObject(), null, null);
            asWritten = new ProposedCall(rescued.Name, rescued.Arguments, null);
            repairs.Add(new("call written in the reply text", $"read {rescued.Name}(...) from {rescued.Where}"));
            if (rescued.RenamedFields.Count > 0)
            {
                repairs.Add(new("wrong field names in the call", string.Join(", ", rescued.RenamedFields)));
            }
        }

        if (_names.Resolve(written) is not { } resolved)
        {
            var unknown = _catalog.Check(written, null)!;
            return new CallReading.Invalid(asWritten, $"unknown tool '{Short(written)}'", unknown.Message + ".", repairs);
        }

        if (resolved.Repair is not null)
        {
            repairs.Add(new(resolved.Repair, $"{Short(written)} -> {resolved.Tool}"));
        }

        var tool = _tools.First(t => t.Name == resolved.Tool);
        if (arguments.Arguments is not { } args)
        {
            return new CallReading.Invalid(asWritten, $"{tool.Name}: unreadable arguments", $"{tool.Name}: {arguments.Problem}. {Usage(tool)}", repairs);
        }

        if (arguments.Repair is not null)
        {
            repairs.Add(new(arguments.Repair, "read the arguments object inside"));
        }

        repairs.AddRange(ArgumentRepair.Fit(args, tool.InputSchema).Select(r => new HarnessRepair(r.Trigger, r.Change)));
        using var document = JsonDocument.Parse(args.ToJsonString());
        if (_catalog.Check(tool.Name, document.RootElement) is { } refusal)
        {
            return new CallReading.Invalid(asWritten, $"{tool.Name}: {refusal.Reason}", $"{tool.Name}: {refusal.Message}. {Usage(tool)}", repairs);
        }

        return new CallReading.Valid(new ProposedCall(tool.Name, args, asWritten.CallId), repairs);
    }

    /// <summary>"web_search takes: query (string, required, ...)": what the model needs to write the call right.</summary>
    public static string Usage(ToolDescriptor tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return $"{tool.Name} takes: {SchemaFacts.Describe(tool.InputSchema)}.";
    }

    private static string Short(string text) => text.Length <= 60 ? text : text[..57] + "...";
}

/// <summary>A call as the harness proposes to send it.</summary>
/// <param name="CallId">The model's tool call id, or null for a call read from the text.</param>
public sealed record ProposedCall(string Name, JsonObject Arguments, string? CallId)
{
    /// <summary>The arguments as any tool-calling client reads them: a JSON object, else none.</summary>
    public static JsonObject StrictArguments(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ArgumentRepair.ParseObject(text) ?? [];
    }
}

/// <summary>One repair h2 made: what set it off and what it changed.</summary>
public sealed record HarnessRepair(string Trigger, string Change);

/// <summary>What h2 read in a reply.</summary>
public abstract record CallReading
{
    private CallReading()
    {
    }

    /// <summary>A call the environment's validator accepts, after <paramref name="Repairs"/>.</summary>
    public sealed record Valid(ProposedCall Call, IReadOnlyList<HarnessRepair> Repairs) : CallReading;

    /// <summary>A call that could not be made valid; <paramref name="AsWritten"/> is what the model wrote, unrepaired.</summary>
    /// <param name="Trigger">Short, for the intervention: "unknown tool 'foo'".</param>
    /// <param name="Message">For the model: the validator's message and the tool's arguments.</param>
    public sealed record Invalid(ProposedCall AsWritten, string Trigger, string Message, IReadOnlyList<HarnessRepair> Repairs) : CallReading;

    /// <summary>No call at all.</summary>
    public sealed record NoCall : CallReading;
}
