namespace Bittensor;

/// <summary>
/// Marks a grain interface (every method) or one grain method as open to external Orleans clients — the gateway's
/// allow-list. Every other grain call (including Orleans' own grains such as <c>IManagementGrain</c> and the dashboard's)
/// is served only when it carries the cluster's proof of silo origin, whatever the message claims about its sender.
/// </summary>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method, Inherited = false)]
public sealed class ClientCallableAttribute : Attribute;
