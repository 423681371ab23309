// The baseline artifact was resolved and unpacked; the changes since are compatible, so the build passes.
def log = new File(basedir, 'build.log').text

assert log.contains('[INFO] kontract diff: baseline dev.kontract.it:orders-contracts:jar:1.0.0 (contracts/)')
assert new File(basedir, 'target/kontract-baseline/orders-contracts-1.0.0/contracts/orders.yaml').isFile()
assert log.contains('[INFO] COMPATIBLE shop.orders: version 1.1 added: minor step from 1.0')
assert log =~ /kontract-baseline\/orders-contracts-1\.0\.0\/contracts -> \S+: 2 changes, 0 breaking/
assert log.contains('BUILD SUCCESS')
assert !log.contains('[ERROR]')
