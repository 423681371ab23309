// Releases the baseline as the artifact dev.kontract.it:orders-contracts:1.0.0 (its contracts under
// contracts/, as a contracts jar holds them) into the local repository of this build.
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

def root = new File(basedir, 'baseline')
def dir = new File(localRepositoryPath, 'dev/kontract/it/orders-contracts/1.0.0')
dir.mkdirs()
new ZipOutputStream(new FileOutputStream(new File(dir, 'orders-contracts-1.0.0.jar'))).withCloseable { zip ->
    root.eachFileRecurse(groovy.io.FileType.FILES) { file ->
        zip.putNextEntry(new ZipEntry(root.toPath().relativize(file.toPath()).toString().replace('\\', '/')))
        zip.write(file.bytes)
        zip.closeEntry()
    }
}
new File(dir, 'orders-contracts-1.0.0.pom').text = '''<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.kontract.it</groupId>
  <artifactId>orders-contracts</artifactId>
  <version>1.0.0</version>
</project>
'''
return true
