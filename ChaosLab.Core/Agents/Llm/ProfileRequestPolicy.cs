using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Agents.Llm;

/// <summary>
/// Puts a profile on every request just before it is sent: its headers, with their variables read
/// from the environment at that moment (so a rotated key is picked up and none is held), and its
/// body keys written over what the OpenAI SDK produced (max_tokens, temperature, top_p, seed, ...
/// exactly as the profile spells them, which many compatible servers expect).
/// </summary>
internal sealed class ProfileRequestPolicy(AgentProfile profile, Func<string, string?> environment) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message.Request);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message.Request);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
    }

    private void Apply(PipelineRequest request)
    {
        // The SDK insists on a credential; a profile without an Authorization header sends none.
        request.Headers.Remove("Authorization");
        foreach (var (name, value) in profile.ResolveHeaders(environment))
        {
            request.Headers.Set(name, value);
        }

        if (request.Content is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer);
        if (JsonNode.Parse(buffer.ToArray()) is not JsonObject body)
        {
            return;
        }

        foreach (var (key, value) in profile.Body)
        {
            body[key] = value?.DeepClone();
        }

        request.Content = BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));
    }
}
