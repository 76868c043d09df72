using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Curriculum;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Integrity;
using ChaosLab.Core.Persistence;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// The one way an episode starts, for every transport (<c>/ws</c>, HTTP, <c>/mcp</c>) and the
/// server's own players (playground, seeder): resolving reset parameters against the served
/// suites, checking who the agent is, completing the request with its episode id and seed,
/// taking a capacity slot, resetting, and closing the session again if the reset is refused.
/// </summary>
public sealed class EnvironmentGateway(
    SuiteCatalog catalog,
    SessionRegistry registry,
    EpisodeStore episodes,
    AgentRegistry agents,
    SealedSeeds sealedSeeds,
    CurriculumStore curricula,
    IOptions<OpenEnvOptions> options)
{
    public SessionRegistry Sessions => registry;

    public SuiteCatalog Catalog => catalog;

    public ISuite DefaultSuite => catalog.Find(options.Value.DefaultSuite) ?? catalog.Suites[0];

    /// <summary>
    /// The agent name for a client that introduced itself but sent no key (an MCP client's
    /// <c>clientInfo.name</c>): that name unless it is reserved, registered (only its key may use
    /// it) or unusable as an agent name, else <see cref="ResetRequest.DefaultAgent"/>.
    /// </summary>
    public string AgentLabel(string? clientName)
    {
        var name = clientName?.Trim();
        return name is { Length: > 0 and <= ResetRequest.MaxAgentLength } && agents.Identify(name, null) is { IsVerified: false, Refusal: null }
            ? name
            : ResetRequest.DefaultAgent;
    }

    /// <summary>Starts an episode for a client on a new session of <paramref name="clientKind"/> with the given lifetime.</summary>
    /// <param name="parameters">The client's reset parameters; undefined or null means all defaults.</param>
    public async Task<EpisodeLaunch> StartAsync(JsonElement parameters, string clientKind, SessionLifetime lifetime, CancellationToken cancellationToken)
    {
        var prepared = await PrepareResetAsync(parameters, cancellationToken);
        return prepared.Succeeded
            ? await LaunchAsync(prepared.Value.Request, prepared.Value.Suite, new SessionSeat(clientKind, lifetime, null), cancellationToken)
            : EpisodeLaunch.Refused(prepared.Errors);
    }

    /// <summary>Starts an episode for a client on the session it already holds (a socket's, or an MCP session between episodes).</summary>
    public async Task<EpisodeLaunch> StartAsync(JsonElement parameters, HostedSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var prepared = await PrepareResetAsync(parameters, cancellationToken);
        return prepared.Succeeded
            ? await LaunchAsync(prepared.Value.Request, prepared.Value.Suite, new SessionSeat(session.ClientKind, session.Lifetime, session), cancellationToken)
            : EpisodeLaunch.Refused(prepared.Errors);
    }

    /// <summary>
    /// Starts an episode the server plays itself (the playground's human, the reference agents):
    /// the request is trusted as it is, since it may use a reserved agent name and a seed the
    /// server chose, and is not checked against the agent registry.
    /// </summary>
    /// <exception cref="Exception">Whatever the suite throws creating a session.</exception>
    public Task<EpisodeLaunch> StartTrustedAsync(ResetRequest request, string clientKind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return catalog.Find(request.SuiteName) is { } suite
            ? LaunchAsync(request, suite, new SessionSeat(clientKind, SessionLifetime.UntilClosed, null), cancellationToken)
            : Task.FromResult(EpisodeLaunch.Refused([new ValidationError("suite", $"Unknown suite '{request.SuiteName}'.", [.. catalog.Suites.Select(s => s.Name)])]));
    }

    private async Task<EpisodeLaunch> LaunchAsync(ResetRequest request, ISuite suite, SessionSeat seat, CancellationToken cancellationToken)
    {
        var session = seat.Existing ?? registry.TryOpen(seat.ClientKind, suite, seat.Lifetime);
        if (session is null)
        {
            return EpisodeLaunch.AtCapacity(registry.CapacityMessage);
        }

        var result = await session.ResetAsync(request, suite, cancellationToken);
        if (result.Succeeded)
        {
            return new EpisodeLaunch(session, result);
        }

        // A session opened for this episode alone must not hold a slot for nothing; one the
        // caller already held stays theirs.
        if (seat.Existing is null)
        {
            await registry.CloseAsync(session, "reset refused");
        }

        return new EpisodeLaunch(seat.Existing, result);
    }

    private sealed record SessionSeat(string ClientKind, SessionLifetime Lifetime, HostedSession? Existing);

    /// <summary>
    /// Parses reset parameters, finds the suite they name and completes the request: a fresh
    /// episode id unless the client chose one, and the seed (the client's for practice, a random
    /// one if it named none, the sealed derivation for sealed episodes), and the tier when a
    /// curriculum chooses it. Errors list valid values.
    /// </summary>
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

        var identity = agents.Identify(request.Agent, request.AgentKey);
        if (identity.Refusal is { } refusal)
        {
            return EnvironmentResult<(ResetRequest, ISuite)>.Invalid(new ValidationError("agent_key", refusal));
        }

        if (request.Options.Mode == EpisodeMode.Sealed && !identity.IsVerified)
        {
            return EnvironmentResult<(ResetRequest, ISuite)>.Invalid(new ValidationError("mode",
                "Sealed episodes rank on the leaderboard, so they need a registered agent name and its agent_key " +
                "(an operator registers them with ChaosLab:Integrity:Agents:<name>). Unregistered agents play mode 'practice'."));
        }

        if (request.Options.EpisodeId is { } chosen
            && (registry.EpisodeInUse(chosen) || await episodes.ExistsAsync(chosen, cancellationToken)))
        {
            return EnvironmentResult<(ResetRequest, ISuite)>.Invalid(new ValidationError(
                "episode_id", $"Episode id '{chosen}' is already taken; pick another or omit it to get a fresh one."));
        }

        var episodeId = request.Options.EpisodeId ?? Guid.NewGuid().ToString("N");
        var seed = request.Options.Mode == EpisodeMode.Sealed ? sealedSeeds.ForEpisode(episodeId)
            : request.SeedChosen ? request.Options.Seed
            : DrawSeed();
        var tier = request.Options.Tier;
        if (request.Curriculum is { } curriculum)
        {
            var decision = await curricula.ChooseTierAsync(curriculum, suite, episodeId, cancellationToken);
            if (!decision.Succeeded)
            {
                return EnvironmentResult<(ResetRequest, ISuite)>.Invalid(decision.Errors);
            }

            tier = decision.Value!.Tier;
        }

        return EnvironmentResult<(ResetRequest, ISuite)>.Success((request with { Options = request.Options with { EpisodeId = episodeId, Seed = seed, Tier = tier } }, suite));
    }

    // Where entropy enters for practice: a client that names no seed still gets a reproducible
    // episode, because the drawn seed is recorded and returned in the state.
    private static long DrawSeed() => RandomNumberGenerator.GetInt32(int.MaxValue);

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
