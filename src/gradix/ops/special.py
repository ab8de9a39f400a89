"""Special functions and more elementwise math: the gamma family, logit, sinc, heaviside,
float_power, addcmul/addcdiv, ..."""
