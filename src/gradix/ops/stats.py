"""Statistics and sampling: quantiles, covariance, histograms, bincount, isin, multinomial,
bernoulli, ..."""
