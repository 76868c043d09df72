using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;

namespace ChaosLab.Web.Endpoints;

/// <summary>
/// The values the enumerated episode filters can take, so a value that can match nothing is an
/// error naming the valid ones instead of an empty page: the suites, tasks, tiers and fault
/// kinds of the served suites and of the recorded episodes (a record may come from a suite no
/// longer served), and the client kinds. The API checks every query with it; the dashboard's
/// episode filters can use the same check. Free-text filters (agent, scenario, outcome, q) are
/// matched as recorded and not checked here.
/// </summary>
public sealed class EpisodeFilterValues(SuiteCatalog catalog, EpisodeStore store)
{
    private readonly IReadOnlyList<string> _servedSuites = [.. catalog.Suites.Select(s => s.Name)];
    private readonly IReadOnlyList<string> _servedTasks = [.. catalog.Suites.SelectMany(s => s.Tasks).Select(t => t.Id)];
    private readonly IReadOnlyList<string> _servedTiers = [.. catalog.Suites.SelectMany(s => s.Tiers)];
    private readonly IReadOnlyList<string> _servedFaultKinds = [.. catalog.Suites.SelectMany(s => s.FaultKinds).Select(k => k.Name)];

    /// <returns>One message per parameter whose value no episode here can have, keyed by the parameter; empty when all are known.</returns>
    public async Task<Dictionary<string, string[]>> CheckAsync(EpisodeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Check("client", [query.ClientKind], OpenEnv.Sessions.ClientKinds.All, errors);
        var served = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Check("suite", [query.Suite], _servedSuites, served);
        Check("task", [query.TaskId], _servedTasks, served);
        Check("tier", [query.Tier], _servedTiers, served);
        Check("fault", query.FaultKinds, _servedFaultKinds, served);
        if (served.Count > 0)
        {
            // Only a value the served suites do not know costs a look at the records.
            var recorded = await store.FacetsAsync(cancellationToken);
            Check("suite", [query.Suite], [.. _servedSuites, .. recorded.Suites], errors);
            Check("task", [query.TaskId], [.. _servedTasks, .. recorded.Tasks], errors);
            Check("tier", [query.Tier], [.. _servedTiers, .. recorded.Tiers], errors);
            Check("fault", query.FaultKinds, [.. _servedFaultKinds, .. recorded.FaultKinds], errors);
        }

        return errors;
    }

    private static void Check(string parameter, IEnumerable<string?> given, IEnumerable<string> valid, Dictionary<string, string[]> errors)
    {
        var known = valid.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknown = given.OfType<string>().Where(v => !known.Contains(v, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            errors[parameter] = [$"Unknown {parameter} {string.Join(", ", unknown.Select(v => $"'{v}'"))}. Valid values: {string.Join(", ", known)}."];
        }
    }
}
