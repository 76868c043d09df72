using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>The five storage tools: scratchpad, files, the agent_notes table and reports.</summary>
internal static class StorageTools
{
    public const int MaxScratchpadKeys = 100;
    public const int MaxFiles = 50;

    public static ValueTask<ToolOutput> ScratchpadWrite(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var key = args.Str("key");
        var pad = ctx.Workspace.Scratchpad;
        if (!pad.ContainsKey(key) && pad.Count >= MaxScratchpadKeys)
        {
            return RetrievalTools.Done(ToolOutput.Fail("quota_exceeded", $"the scratchpad holds at most {MaxScratchpadKeys} keys"));
        }

        var value = args.Str("value");
        var replaced = pad.ContainsKey(key);
        pad[key] = value;
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject { ["key"] = key, ["stored"] = true, ["replaced"] = replaced, ["length"] = value.Length }));
    }

    public static ValueTask<ToolOutput> ScratchpadRead(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var key = args.Str("key");
        var pad = ctx.Workspace.Scratchpad;
        return RetrievalTools.Done(pad.TryGetValue(key, out var value)
            ? ToolOutput.Ok(new JsonObject { ["key"] = key, ["value"] = value })
            : ToolOutput.Fail("not_found", $"no scratchpad entry '{key}'", new JsonObject { ["keys"] = new JsonArray([.. pad.Keys.Order(StringComparer.Ordinal).Select(k => (JsonNode)k)]) }));
    }

    public static ValueTask<ToolOutput> WriteFile(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var path = RetrievalTools.NormalizePath(args.Str("path"));
        if (path is null || !path.StartsWith(Workspace.WritableRoot, StringComparison.Ordinal) || path.Length == Workspace.WritableRoot.Length)
        {
            return RetrievalTools.Done(ToolOutput.Fail("permission_denied", $"EACCES: only files under {Workspace.WritableRoot} are writable (e.g. /workspace/notes.md); /data is read-only"));
        }

        var files = ctx.Workspace.WrittenFiles;
        if (!files.ContainsKey(path) && files.Count >= MaxFiles)
        {
            return RetrievalTools.Done(ToolOutput.Fail("quota_exceeded", $"at most {MaxFiles} files may be written"));
        }

        var content = args.Str("content");
        files[path] = content;
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject { ["path"] = path, ["bytes_written"] = System.Text.Encoding.UTF8.GetByteCount(content) }));
    }

    public static ValueTask<ToolOutput> DatabaseInsert(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var table = args.Str("table");
        var data = (JsonObject)args["data"]!;
        var error = ctx.Workspace.Database(Snapshot.Current).Insert(table, data, ctx.Clock.GetUtcNow());
        if (error is not null)
        {
            return RetrievalTools.Done(ToolOutput.Fail("insert_failed", error));
        }

        ctx.Workspace.InsertedRows++;
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject { ["table"] = table, ["inserted"] = 1, ["rows_in_table"] = ctx.Workspace.InsertedRows }));
    }

    public static ValueTask<ToolOutput> CreateReport(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var reports = ctx.Workspace.Reports;
        var id = "RPT-" + (reports.Count + 1).ToString("D3", CultureInfo.InvariantCulture);
        var findings = args["findings"] is JsonArray f ? f.Select(x => x?.ToString() ?? "").ToList() : [];
        var report = new JsonObject
        {
            ["report_id"] = id, ["title"] = args.OptStr("title") ?? "Untitled report", ["content"] = args.Str("content"),
            ["findings"] = new JsonArray([.. findings.Select(x => (JsonNode)x)]), ["created_at"] = WireTime.ToWire(ctx.Clock.GetUtcNow()),
        };
        reports.Add(report);
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject { ["report_id"] = id, ["title"] = report["title"]!.DeepClone(), ["findings_count"] = findings.Count }));
    }
}
