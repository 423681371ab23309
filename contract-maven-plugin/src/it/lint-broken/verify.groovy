// Each problem is one error line in the loader's words (file, version, field); the failure says how many.
def log = new File(basedir, 'build.log').text
def file = 'src/main/resources/contracts/orders.yaml'

assert log =~ /\[ERROR\] \S+\/${file}: version 1\.0: versions\[0\]\.ruleSet\.domainRules\[0\]\.expr: rule totalIsPositive: invalid JSONata expression at line 1, column 8/
assert log =~ /\[ERROR\] \S+\/${file}: version 1\.0: versions\[0\]\.ruleSet\.domainRules\[1\]\.onFailure: unknown action 'RETRY' \(known: DLQ, ERROR, NONE\)/
assert log.contains('[INFO] lint: 2 problems')
assert log.contains('kontract lint: 2 problems')
assert log.contains('BUILD FAILURE')
