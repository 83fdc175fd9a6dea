"""The supervisor's desk: what a master database (one that handed out assignments or took in packages) adds."""
