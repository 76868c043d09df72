using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// What every transport (<c>/ws</c>, HTTP, <c>/mcp</c>) does the same way: resolving reset
/// parameters against the served suites and opening sessions.
/// </summary>
public sealed class EnvironmentGateway(SuiteCatalog catalog, SessionRegistry registry, EpisodeStore episodes, IOptions<OpenEnvOptions> options)
{
    public SessionRegistry Sessions => registry;

    public SuiteCatalog Catalog => catalog;

    public ISuite DefaultSuite => catalog.Find(options.Value.DefaultSuite) ?? catalog.Suites[0];

    /// <summary>Parses reset parameters and finds the suite they name; errors list the valid values.</summary>
    public async Task<EnvironmentResult<(ResetRequest Request, ISuite Suite)>> PrepareResetAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var parsed = ResetRequest.Parse(body, DefaultSuite.Name);
        if (!parsed.Succeeded)
        {
            return EnvironmentResult<(ResetRequest, ISuite)>.Invalid(parsed.Errors);
        }

        var request = parsed.Value!;
        if (catalog.Find(request.SuiteName) is not { } suite)
        {
            return EnvironmentResult<(ResetRequest, ISuite)>.Invalid(new ValidationError(
                "suite", $"Unknown suite '{request.SuiteName}'.", [.. catalog.Suites.Select(s => s.Name)]));
        }

        if (request.Options.EpisodeId is { } episodeId
            && (registry.EpisodeInUse(episodeId) || await episodes.FindAsync(episodeId, cancellationToken) is not null))
        {
            return EnvironmentResult<(ResetRequest, ISuite)>.Invalid(new ValidationError(
                "episode_id", $"Episode id '{episodeId}' is already taken; pick another or omit it to get a fresh one."));
        }

        return EnvironmentResult<(ResetRequest, ISuite)>.Success((request, suite));
    }

    /// <summary>JSON Schemas of all served suites: a single suite's schemas, or an <c>anyOf</c> over them.</summary>
    public SchemaResponse Schemas()
    {
        if (catalog.Suites.Count == 1)
        {
            var only = catalog.Suites[0].Schemas;
            return new SchemaResponse(only.Action.DeepClone().AsObject(), only.Observation.DeepClone().AsObject(), only.State.DeepClone().AsObject());
        }

        return new SchemaResponse(
            AnyOf(catalog.Suites.Select(s => s.Schemas.Action)),
            AnyOf(catalog.Suites.Select(s => s.Schemas.Observation)),
            AnyOf(catalog.Suites.Select(s => s.Schemas.State)));
    }

    private static JsonObject AnyOf(IEnumerable<JsonObject> schemas) =>
        new() { ["anyOf"] = new JsonArray([.. schemas.Select(s => s.DeepClone())]) };
}
