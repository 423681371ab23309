// The added 1.1 cannot read 1.0 records (a new field without a default): BREAKING, and the build fails.
def log = new File(basedir, 'build.log').text

assert log.contains('[ERROR] BREAKING shop.orders: version 1.1 added: version 1.1 cannot read records written as 1.0')
assert log.contains('READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2: currency')
assert log =~ /kontract diff \S*baseline -> \S+: 1 change, 1 breaking/
assert log.contains('BUILD FAILURE')
