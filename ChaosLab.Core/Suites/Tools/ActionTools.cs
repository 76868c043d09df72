using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>The action tools other than submit_answer (which the session handles: it ends the episode).</summary>
internal static class ActionTools
{
    public const int MaxActions = 50;

    public static ValueTask<ToolOutput> SendNotification(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var list = ctx.Workspace.Notifications;
        if (list.Count >= MaxActions)
        {
            return RetrievalTools.Done(ToolOutput.Fail("quota_exceeded", $"at most {MaxActions} notifications per episode"));
        }

        var id = "NTF-" + (list.Count + 1).ToString("D3", CultureInfo.InvariantCulture);
        var sent = ctx.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        list.Add(new JsonObject { ["notification_id"] = id, ["message"] = args.Str("message"), ["sent_at"] = sent });
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject { ["notification_id"] = id, ["status"] = "sent", ["sent_at"] = sent }));
    }

    public static ValueTask<ToolOutput> ScheduleTask(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var time = args.Str("time");
        if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
        {
            return RetrievalTools.Done(ToolOutput.Fail("invalid_time", $"'{time}' is not an ISO-8601 date-time, e.g. 2026-04-09T09:00:00Z"));
        }

        var now = ctx.Clock.GetUtcNow();
        if (when <= now)
        {
            return RetrievalTools.Done(ToolOutput.Fail("invalid_time", $"{when:yyyy-MM-dd'T'HH:mm:ss'Z'} is not in the future (now: {now:yyyy-MM-dd'T'HH:mm:ss'Z'})"));
        }

        var list = ctx.Workspace.ScheduledTasks;
        if (list.Count >= MaxActions)
        {
            return RetrievalTools.Done(ToolOutput.Fail("quota_exceeded", $"at most {MaxActions} scheduled tasks per episode"));
        }

        var id = "TSK-" + (list.Count + 1).ToString("D3", CultureInfo.InvariantCulture);
        var at = when.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        list.Add(new JsonObject { ["task_id"] = id, ["task"] = args.Str("task"), ["scheduled_for"] = at });
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject { ["task_id"] = id, ["scheduled_for"] = at, ["status"] = "scheduled" }));
    }

    /// <summary>Applies {status?, comment?, assignee?, fields?} to a ticket.</summary>
    public static ValueTask<ToolOutput> UpdateTicket(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var id = args.Str("ticket_id").Trim();
        var tickets = ctx.Workspace.Tickets;
        if (!tickets.TryGetValue(id, out var ticket))
        {
            return RetrievalTools.Done(ToolOutput.Fail("not_found", $"no ticket {id}", new JsonObject { ["tickets"] = new JsonArray([.. tickets.Keys.Select(k => (JsonNode)k)]) }));
        }

        var update = (JsonObject)args["update"]!;
        var allowed = new[] { "status", "comment", "assignee", "fields" };
        var unknown = update.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList();
        if (unknown.Count > 0 || update.Count == 0)
        {
            return RetrievalTools.Done(ToolOutput.Fail("invalid_update", $"update takes {string.Join(", ", allowed)}" + (unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : "")));
        }

        if (update["status"] is { } statusNode)
        {
            var status = statusNode.GetValueKind() == JsonValueKind.String ? statusNode.GetValue<string>() : "";
            if (!TicketState.Statuses.Contains(status))
            {
                return RetrievalTools.Done(ToolOutput.Fail("invalid_update", $"update.status must be one of {string.Join(", ", TicketState.Statuses)}"));
            }
        }

        if (update["fields"] is { } fieldsNode && fieldsNode is not JsonObject)
        {
            return RetrievalTools.Done(ToolOutput.Fail("invalid_update", "update.fields must be an object of field names to values"));
        }

        if (update["fields"] is JsonObject fields && fields.Any(f => f.Value is JsonObject or JsonArray || f.Key.Length > 100))
        {
            return RetrievalTools.Done(ToolOutput.Fail("invalid_update", "update.fields values must be strings, numbers or booleans"));
        }

        if (update["status"] is { } s)
        {
            ticket.Status = s.GetValue<string>();
        }

        if (update["assignee"] is { } a)
        {
            ticket.Assignee = a.ToString();
        }

        if (update["comment"] is { } c && ticket.Comments.Count < MaxActions)
        {
            ticket.Comments.Add(c.ToString());
        }

        if (update["fields"] is JsonObject newFields && ticket.Fields.Count < MaxActions)
        {
            foreach (var (k, v) in newFields)
            {
                ticket.Fields[k] = v?.DeepClone();
            }
        }

        return RetrievalTools.Done(ToolOutput.Ok(ticket.ToJson()));
    }

    public static ValueTask<ToolOutput> RequestHumanReview(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var list = ctx.Workspace.ReviewRequests;
        if (list.Count >= MaxActions)
        {
            return RetrievalTools.Done(ToolOutput.Fail("quota_exceeded", $"at most {MaxActions} review requests per episode"));
        }

        var id = "REV-" + (list.Count + 1).ToString("D3", CultureInfo.InvariantCulture);
        list.Add(new JsonObject { ["review_id"] = id, ["reason"] = args.Str("reason") });
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject
        {
            ["review_id"] = id, ["status"] = "queued",
            ["note"] = "Reviewers work through the queue after the episode; nobody will answer during it. Continue with the task.",
        }));
    }
}
