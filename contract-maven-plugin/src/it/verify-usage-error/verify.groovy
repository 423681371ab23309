// The command's own words, naming the command, without its usage help (the goal's parameters are what is set).
def log = new File(basedir, 'build.log').text

assert log.contains('kontract verify: --records must be at least 1')
assert !log.contains('Usage: kontract verify')
assert log.contains('[Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoExecutionException')
