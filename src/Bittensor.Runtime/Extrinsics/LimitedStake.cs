using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// A stake or unstake of up to <see cref="Amount"/> rao (TAO to stake, alpha to unstake) on a hotkey in a subnet that must
    /// not move the price past <see cref="LimitPrice"/> (rao of TAO per 1 alpha): all of it or nothing, or with
    /// <see cref="AllowPartial"/> as much as the limit allows.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.LimitedStake")]
    public abstract record LimitedStake : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
        [Id(1)] public required ushort Netuid { get; init; }
        [Id(2)] public required ulong Amount { get; init; }
        [Id(3)] public required ulong LimitPrice { get; init; }
        [Id(4)] public bool AllowPartial { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary>Reads the arguments every <see cref="LimitedStake"/> call has.</summary>
    public abstract class LimitedStakeCall<T> : Extrinsic<T> where T : LimitedStake
    {
        /// <summary>The operation with its fields read from the call's arguments.</summary>
        protected static (string Hotkey, ushort Netuid, ulong Amount, ulong LimitPrice, bool AllowPartial) Read(CallArgs a) =>
            (a.Address("hotkey"), a.U16("netuid"), a.U64("amount"), a.U64("limit_price"), a.OptionalBool("allow_partial") ?? false);
    }
}
