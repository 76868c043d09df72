namespace ChaosLab.Web.Model;

/// <summary>Where a piece of a page is in loading its data; every page shows all four.</summary>
public enum LoadState
{
    Loading,
    Ready,
    Empty,
    Failed,
}
