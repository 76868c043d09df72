using Microsoft.AspNetCore.Components;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>A navigation manager for static component renders, at an address under the dashboard's base.</summary>
public sealed class StaticNavigationManager : NavigationManager
{
    public const string BaseAddress = "http://localhost/web/";

    /// <param name="relativeUri">Where the render happens, relative to <see cref="BaseAddress"/> (e.g. <c>episodes/x?step=2</c>).</param>
    public StaticNavigationManager(string relativeUri = "") => Initialize(BaseAddress, BaseAddress + relativeUri);

    protected override void NavigateToCore(string uri, NavigationOptions options) => Uri = ToAbsoluteUri(uri).ToString();
}
