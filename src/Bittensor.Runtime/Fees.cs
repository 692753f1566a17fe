using Bittensor.Runtime.Extrinsics;

namespace Bittensor.Runtime;

/// <summary>
/// Transaction fees as subtensor computes them (<c>pallet_transaction_payment</c> with the runtime's
/// <c>LinearWeightToFee</c> and a constant fee multiplier of 1): <c>fee = (ExtrinsicBaseWeight + call weight) ×
/// WeightFee / 10⁹</c> rao, where a call's weight is its benchmarked ref_time plus 25 µs per storage read and 100 µs per
/// write (<c>RocksDbWeight</c>), in picoseconds. Calls subtensor marks <c>Pays::No</c> (weights, serving, take changes,
/// faucet) have weight 0 here and pay nothing.
/// </summary>
/// <remarks>
/// Simplified against subtensor, on purpose: no length fee (1 rao per SCALE-encoded byte there; this chain's payloads are
/// JSON, so a byte count would not mean the same), no tip, no refund of unused weight, no paying in alpha. The weight of
/// each call is its own handler's <see cref="IExtrinsic.Weight"/>, copied from subtensor's <c>weights.rs</c>. The fee is
/// burned: the signer's free balance and the total issuance both go down by it (with no block author to pay, subtensor's
/// <c>TransactionFeeHandler</c> drops the imbalance too, which burns it). A call refused by its rules pays nothing here: it
/// is never included (subtensor includes a transaction whose dispatch fails and keeps its fee; its validity checks, such
/// as the rate limits in <c>CheckRateLimits</c>, refuse before any fee as here).
/// </remarks>
public static class Fees
{
    /// <summary>subtensor's <c>LinearWeightToFee</c> coefficient: <c>Perbill::from_parts(500_000)</c> rao per unit of weight.</summary>
    public const ulong SubtensorWeightFee = 500_000;

    /// <summary>Substrate's <c>ExtrinsicBaseWeight</c>: 125 µs of ref_time, paid by every extrinsic that pays.</summary>
    public const ulong ExtrinsicBaseWeight = 125_000_000;

    /// <summary><c>RocksDbWeight</c>: one storage read (25 µs) and one write (100 µs), in ref_time picoseconds.</summary>
    public const ulong DbRead = 25_000_000, DbWrite = 100_000_000;

    /// <summary>A benchmarked weight: ref_time plus <paramref name="reads"/> reads and <paramref name="writes"/> writes.</summary>
    public static ulong Weight(ulong refTime, ulong reads, ulong writes) => refTime + reads * DbRead + writes * DbWrite;

    /// <summary>The fee of <paramref name="call"/> at <paramref name="weightFee"/> (rao per 10⁹ weight), rao; 0 for a call that does not pay.</summary>
    public static ulong Of(IExtrinsic call, ulong weightFee) =>
        call.Weight == 0 || weightFee == 0 ? 0 : (ulong)((UInt128)(ExtrinsicBaseWeight + call.Weight) * weightFee / 1_000_000_000);

    /// <summary>
    /// The fee of <paramref name="operation"/> at <paramref name="weightFee"/>, rao. A hyperparameter set by the sudo key pays
    /// nothing: on subtensor root's <c>sudo_set_*</c> go through <c>pallet_sudo::sudo</c>, which returns <c>Pays::No</c>.
    /// </summary>
    public static ulong Of(Operation operation, ulong weightFee, string? sudo) =>
        operation is SetHyperparameter && sudo is not null && operation.Signer == sudo ? 0 : Of(Calls.For(operation), weightFee);

    /// <summary>The fee of <paramref name="operation"/> under <paramref name="rules"/>, rao.</summary>
    public static ulong Of(Operation operation, ChainRules rules) => Of(operation, rules.WeightFee, rules.Sudo);
}
