using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Integrity;
using ChaosLab.Web.OpenEnv;
using ChaosLab.Web.OpenEnv.Sessions;

namespace ChaosLab.Web.Services.Evaluation;

/// <summary>
/// An evaluation's sealed episodes, started through the <see cref="EnvironmentGateway"/> like the
/// reference seeder's (trusted: the server chose the seed and the name), on a session of client
/// kind <c>eval</c> that holds one capacity slot until the episode is disposed.
/// </summary>
public sealed class GatewayEvaluationEpisodes(EnvironmentGateway gateway, SealedSeeds sealedSeeds) : IEvaluationEpisodes
{
    public bool HasFreeSession => gateway.Sessions.ActiveSessions < gateway.Sessions.MaxSessions;

    public async Task<IEvaluationEpisode?> StartAsync(RunItemSpec item, string evaluation, string episodeId, string agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var options = new ResetOptions
        {
            ScenarioId = item.ScenarioId,
            EpisodeId = episodeId,
            Seed = sealedSeeds.ForEvaluation(evaluation, item.ScenarioId, item.SeedIndex),
            Mode = EpisodeMode.Sealed,
        };
        var launch = await gateway.StartTrustedAsync(new ResetRequest(item.Suite, options, agent), ClientKinds.Eval, cancellationToken);
        if (launch.ServerFull)
        {
            return null;
        }

        if (!launch.Started)
        {
            throw new InvalidOperationException($"The episode of {item.Key} did not start: {string.Join("; ", launch.Reset.Errors.Select(e => e.Message))}");
        }

        return new Episode(gateway.Sessions, launch.Session!, launch.Reset.Value!);
    }

    private sealed class Episode(SessionRegistry sessions, HostedSession session, StepResult reset) : IEvaluationEpisode, IEnvironmentPort
    {
        private AgentStep _last = ToAgentStep(reset);

        public string EpisodeId { get; } = session.Episode!.EpisodeId;

        public IEnvironmentPort Port => this;

        public StepResult? Final { get; private set; }

        public AgentStep First { get; } = ToAgentStep(reset);

        public async Task<AgentStep> StepAsync(JsonObject action, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(action);
            using var document = JsonSerializer.SerializeToDocument(action, WebJsonContext.Default.JsonObject);
            var result = await session.StepAsync(document.RootElement, cancellationToken);
            if (!result.Succeeded)
            {
                // Refused without spending a step: the agent keeps its last observation, as a wire client would.
                var refusal = string.Join("; ", result.Errors.Select(e => e.Path.Length > 0 ? $"{e.Path}: {e.Message}" : e.Message));
                return _last with { Reward = 0, Refusal = refusal };
            }

            var step = result.Value!;
            if (step.Done)
            {
                Final = step;
            }

            _last = ToAgentStep(step);
            return _last;
        }

        public async ValueTask DisposeAsync() =>
            await sessions.CloseAsync(session, Final is null ? "the evaluation's agent stopped before the episode ended" : "evaluation episode finished");

        // The agent gets its own copy: nothing it does to an observation reaches the record.
        private static AgentStep ToAgentStep(StepResult step) =>
            new(step.Observation.DeepClone().AsObject(), step.Reward, step.Done, null, step.Record.Index);
    }
}
