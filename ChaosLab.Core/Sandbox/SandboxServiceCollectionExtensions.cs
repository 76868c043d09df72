using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BubblewrapSandbox"/> as the singleton <see cref="ICodeSandbox"/>. Bind
    /// <see cref="BubblewrapSandboxOptions"/> (section <see cref="BubblewrapSandboxOptions.SectionName"/>) in the host.
    /// </summary>
    public static IServiceCollection AddCodeSandbox(this IServiceCollection services)
    {
        services.AddOptions<BubblewrapSandboxOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BubblewrapSandboxOptions>, DefaultLimitsValidator>());
        services.TryAddSingleton<BubblewrapSandbox>();
        services.TryAddSingleton<ICodeSandbox>(provider => provider.GetRequiredService<BubblewrapSandbox>());
        return services;
    }

    /// <summary>Data annotations cannot reach into the nested limits record, so its own range check runs at start-up.</summary>
    private sealed class DefaultLimitsValidator : IValidateOptions<BubblewrapSandboxOptions>
    {
        public ValidateOptionsResult Validate(string? name, BubblewrapSandboxOptions options) =>
            options.DefaultLimits.FindProblem() is { } problem
                ? ValidateOptionsResult.Fail(
                    $"{BubblewrapSandboxOptions.SectionName}:{nameof(BubblewrapSandboxOptions.DefaultLimits)}:{problem.Name} {problem.Message}.")
                : ValidateOptionsResult.Success;
    }
}
