using Microsoft.Extensions.Options;

namespace Bittensor.Grains;

/// <summary>
/// External Orleans clients (miners, validators, anyone who reaches a gateway) may read and may submit signed
/// transactions, but may not call the chain's unsigned write methods or the grains' ledger interfaces: those are for
/// code inside the cluster (the transactions grain, the chain itself). <see cref="ChainOptions.TrustClients"/> lifts this
/// for tests and tools that drive a private cluster directly.
/// </summary>
internal sealed class UnsignedWriteFilter(IOptions<ChainOptions> options) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (!options.Value.TrustClients && context.SourceId is { } source && source.IsClient() && IsPrivileged(context))
            throw new UnauthorizedAccessException(
                $"{context.InterfaceName}.{context.MethodName} is not open to clients; change the network with a signed transaction (ITransactionsGrain or POST /api/transactions)");
        return context.Invoke();
    }

    private static bool IsPrivileged(IIncomingGrainCallContext context)
    {
        var type = context.InterfaceMethod?.DeclaringType;
        if (type == typeof(IChainGrain)) return context.MethodName is nameof(IChainGrain.ExecuteAsync) or nameof(IChainGrain.JournalAsync) or nameof(IChainGrain.ProduceBlocksAsync);
        return type == typeof(ISubnetLedger) || type == typeof(IAccountLedger) || type == typeof(IHotkeyLedger) || type == typeof(IEpochRecordLedger)
            || type == typeof(IAddressIndex) || type == typeof(IConsensusGrain);
    }
}
