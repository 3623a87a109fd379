package dev.c2cast.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The BOM has no parent (so it pins nothing but the libraries); this keeps its version and contents in step with the
 * reactor.
 */
class BomConsistencyTest
{
    private static final List<String> LIBRARIES =
        List.of("pseudobroadcast", "microcast-nc", "microcast-download", "rtp-h264", "streamsmart-tree");

    private static Document parse(final Path pom) throws Exception
    {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    private static String childText(final Element element, final String name)
    {
        final NodeList nodes = element.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++)
        {
            if (nodes.item(i) instanceof Element child && child.getTagName().equals(name))
            {
                return child.getTextContent().trim();
            }
        }
        throw new AssertionError("no <" + name + "> in <" + element.getTagName() + ">");
    }

    @Test
    void bomListsExactlyTheLibrariesAtTheReactorVersion() throws Exception
    {
        final Path root = Path.of("..").toAbsolutePath().normalize();
        final Document parent = parse(root.resolve("pom.xml"));
        final Document bom = parse(root.resolve("bom/pom.xml"));
        final String version = childText(parent.getDocumentElement(), "version");
        assertEquals(version, childText(bom.getDocumentElement(), "version"), "bom/pom.xml version");

        final List<String> managed = new ArrayList<>();
        final NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++)
        {
            final Element dependency = (Element)dependencies.item(i);
            assertEquals("dev.c2cast", childText(dependency, "groupId"));
            assertEquals("${project.version}", childText(dependency, "version"));
            managed.add(childText(dependency, "artifactId"));
        }
        assertEquals(LIBRARIES, managed);
        for (final String library : LIBRARIES)
        {
            assertEquals(true, Files.isRegularFile(root.resolve(library).resolve("pom.xml")), library);
        }
    }
}
