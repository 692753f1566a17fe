namespace Bittensor.Runtime;

/// <summary>
/// What a stake or unstake of <see cref="AmountIn"/> would give now against a subnet's pool (subtensor's <c>sim_swap</c>):
/// a buy puts TAO in and takes alpha out, a sell the reverse. Amounts in rao (TAO or alpha); prices in rao of TAO per
/// 1 alpha. Computed with the same functions <c>add_stake</c> and <c>remove_stake</c> apply, so a call made in the same
/// block gets exactly <see cref="AmountOut"/>.
/// </summary>
/// <param name="Buy">True for TAO in, alpha out (stake); false for alpha in, TAO out (unstake).</param>
/// <param name="AmountIn">What goes into the pool, rao of the input token (fee included).</param>
/// <param name="AmountOut">What comes out, rao of the other token.</param>
/// <param name="PriceBefore">The pool's price now, rao of TAO per alpha.</param>
/// <param name="PriceAfter">The pool's price after the trade, rao of TAO per alpha.</param>
/// <param name="Fee">Part of the input taken as the swap fee (it stays in the pool), rao of the input token.</param>
/// <param name="PriceImpact">
/// Share of the fee-free output lost because the trade moves the price: <c>1 − out / ((in − fee) at the price before)</c>;
/// 0.01 is 1%.
/// </param>
public sealed record SwapQuote(bool Buy, ulong AmountIn, ulong Fee, ulong AmountOut, ulong PriceBefore, ulong PriceAfter, double PriceImpact)
{
    /// <summary>The quote for a buy (TAO in) or a sell (alpha in) of <paramref name="amount"/> against a pool.</summary>
    public static SwapQuote For(ulong poolTao, ulong poolAlpha, bool buy, ulong amount, ulong quoteWeight = PoolMath.Half)
    {
        ulong fee = PoolMath.Fee(amount);
        ulong net = amount - fee;
        ulong before = PoolMath.PriceRao(poolTao, poolAlpha, quoteWeight: quoteWeight);
        double spot = PoolMath.Price(poolTao, poolAlpha, quoteWeight: quoteWeight);
        ulong output;
        ulong after;
        double ideal;
        if (buy)
        {
            output = PoolMath.AlphaOut(poolTao, poolAlpha, Math.Min(amount, ulong.MaxValue - poolTao), quoteWeight: quoteWeight);
            after = PoolMath.PriceAfterBuy(poolTao, poolAlpha, Math.Min(amount, ulong.MaxValue - poolTao), quoteWeight: quoteWeight);
            ideal = spot > 0 ? net / spot : 0;
        }
        else
        {
            output = PoolMath.TaoOut(poolTao, poolAlpha, Math.Min(amount, ulong.MaxValue - poolAlpha), quoteWeight: quoteWeight);
            after = PoolMath.PriceAfterSell(poolTao, poolAlpha, Math.Min(amount, ulong.MaxValue - poolAlpha), quoteWeight: quoteWeight);
            ideal = net * spot;
        }
        double impact = ideal > 0 ? Math.Clamp(1 - output / ideal, 0, 1) : 0;
        return new SwapQuote(buy, amount, fee, output, before, after, impact);
    }
}
